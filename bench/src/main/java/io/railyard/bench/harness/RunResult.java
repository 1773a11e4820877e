package io.railyard.bench.harness;

import java.util.List;
import java.util.Map;

/**
 * What {@code railyard run} reports: one workload on one model, figures as the median of the
 * counted trials (each trial's figures in {@link #trials}). The JSON field names (snake_case) are a
 * stable interface: {@code work, model, n, c, wall_s, cpu_s, peak_rss_bytes, limit_s, ok, failed}
 * are always present.
 *
 * <p>The trial figures cover the work alone; {@code process_wall_s}, {@code process_cpu_s} and
 * {@code process_peak_rss_bytes} the whole command up to the result, start-up included
 * ({@link ProcessFigures}).
 *
 * @param temperature "cold" when the only trial was a fresh JVM's first run, else "warm"
 */
public record RunResult(String work, String model, long n, int c,
                        double wallS, double cpuS, long peakRssBytes, double limitS, long ok, long failed,
                        double coresUsed, double wallVsLimit, double startupS,
                        double queuedP50Us, double queuedP99Us,
                        String temperature, int warmup, Map<String, Object> params, List<Trial> trials,
                        double processWallS, double processCpuS, long processPeakRssBytes) {
}
