package io.railyard.core.probe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How many cores a process tree kept busy over time, from a {@link ResourceSampler}'s series:
 * the CPU used in a window divided by the window's length, over consecutive windows of at least a
 * given length, each with the bound of its error, stated beside the figure rather than hidden by
 * clamping it ({@code quantisation}, in cores). Two things make it: CPU times are read in clock
 * ticks, each counter cut to whole ticks, so the CPU of a window is off by less than
 * {@code max(counters at its start, counters at its end) x tick}; and a reading takes time, its
 * CPU being of some moment within it, so the window may hold up to {@code cores x} half of each
 * end's reading time more or less. Divided by the window's length: a window of 100 ms over one
 * JVM (two counters) is good to 0.2 cores; a longer window is better, and {@link #windowFor} picks
 * the shortest that is good to 5% of the cores.
 *
 * <p>Stateless and thread-safe.
 */
public final class CoresBusy {
    private CoresBusy() {}

    /** The shortest window: below it, one sample period of 20 ms would be a large part of it. */
    public static final long MIN_WINDOW_NANOS = 100_000_000L;
    /** The rounding a window should be good to, as a share of the machine's cores. */
    public static final double QUANTISATION_SHARE = 0.05;
    /** Windows kept at the least, so that a chart still shows a course over time. */
    static final int MIN_WINDOWS = 4;

    /** One window: its span (nanoseconds since sampling began), cores busy, and the bound of the rounding in cores. */
    public record Window(long startNanos, long endNanos, double cores, double quantisation) {}

    /** The windows of a sampler's series on a machine of {@code cores} cores. */
    public static List<Window> of(List<ResourceSampler.Sample> series, long windowNanos, int cores) {
        int n = series.size();
        long[] t = new long[n], cpu = new long[n], read = new long[n];
        int[] ticks = new int[n];
        for (int i = 0; i < n; i++) {
            ResourceSampler.Sample s = series.get(i);
            t[i] = s.elapsedNanos();
            cpu[i] = s.cpuNanos();
            ticks[i] = s.tickCounters();
            read[i] = s.readNanos();
        }
        return of(t, cpu, ticks, read, ResourceSampler.TICK_NANOS, cores, windowNanos);
    }

    /**
     * Consecutive windows from the first sample to the last, each closing at the first sample at
     * least {@code windowNanos} after it opened; a tail shorter than that joins the last window
     * (a series shorter than one window is one window).
     *
     * @param t            sample times, nanoseconds, ascending
     * @param cpu          cumulative CPU at each sample, nanoseconds
     * @param tickCounters counters cut to whole ticks summed in each sample's CPU
     * @param readNanos    how long each reading took
     * @param tickNanos    a tick
     * @param cores        the machine's cores
     */
    public static List<Window> of(long[] t, long[] cpu, int[] tickCounters, long[] readNanos, long tickNanos, int cores, long windowNanos) {
        List<int[]> spans = new ArrayList<>();
        int open = 0;
        for (int i = 1; i < t.length; i++) {
            if (t[i] - t[open] >= windowNanos) {
                spans.add(new int[]{open, i});
                open = i;
            }
        }
        if (open < t.length - 1) {
            if (spans.isEmpty()) spans.add(new int[]{0, t.length - 1});
            else spans.get(spans.size() - 1)[1] = t.length - 1;
        }
        List<Window> out = new ArrayList<>(spans.size());
        for (int[] s : spans) {
            int a = s[0], b = s[1];
            double dt = t[b] - t[a];
            if (dt <= 0) continue;
            double error = Math.max(tickCounters[a], tickCounters[b]) * (double) tickNanos + cores * (readNanos[a] + readNanos[b]) / 2.0;
            out.add(new Window(t[a], t[b], (cpu[b] - cpu[a]) / dt, error / dt));
        }
        return out;
    }

    /**
     * The shortest window, from {@link #MIN_WINDOW_NANOS} doubling, at which the median window's
     * rounding is within {@link #QUANTISATION_SHARE} of {@code cores}, but never so long that fewer
     * than {@link #MIN_WINDOWS} windows remain: then the rounding stays as stated beside each one.
     */
    public static long windowFor(long[] t, int[] tickCounters, long tickNanos, int cores) {
        if (t.length < 2) return MIN_WINDOW_NANOS;
        long span = t[t.length - 1] - t[0];
        int[] sorted = tickCounters.clone();
        Arrays.sort(sorted);
        int typical = sorted[sorted.length / 2];
        long w = MIN_WINDOW_NANOS;
        while (typical * (double) tickNanos / w > QUANTISATION_SHARE * cores && span / (w * 2) >= MIN_WINDOWS) w *= 2;
        return w;
    }
}
