package io.railyard.bench.harness;

import io.railyard.core.probe.ProcessTreeProbe;

import java.time.Duration;
import java.time.Instant;

/**
 * What the whole command has cost so far, as a user pays it: from the start of its process (the
 * launcher's, whose process the JVM replaces), start-up, calibration, warm-up and output included,
 * where a trial's figures cover its work alone.
 *
 * @param wallS         seconds since the process started (clock-tick precision: 10-20 ms)
 * @param cpuS          user + system CPU of the process and every process it started, live or
 *                      waited for (the launcher's own children included)
 * @param peakRssBytes  the most resident memory: the larger of the JVM's own high-water mark since
 *                      its start and the highest whole-tree reading of any trial
 *
 * <p>Immutable; {@link #now} may be called from any thread.
 */
public record ProcessFigures(double wallS, double cpuS, long peakRssBytes) {

    /** The figures now, given the highest whole-tree RSS the trials sampled. */
    public static ProcessFigures now(long trialsPeakRssBytes) {
        long age = ProcessTreeProbe.selfAgeNanos();
        Instant started = age >= 0 ? null : ProcessHandle.current().info().startInstant().orElse(null);
        double wall = age >= 0 ? age / 1e9 : started == null ? Double.NaN : Duration.between(started, Instant.now()).toNanos() / 1e9;
        return new ProcessFigures(wall, ProcessTreeProbe.cpuNanos() / 1e9,
                Math.max(trialsPeakRssBytes, ProcessTreeProbe.selfPeakRssSinceStartBytes()));
    }
}
