package io.railyard.core.autoscale;

import java.util.ArrayDeque;

/**
 * What the {@link RailyardController} measures over one decision period, from the samples it is
 * fed: how long the period lasts (three mean task durations, within [0.25 s, 10 s]), how many
 * units ran, whether the pool was saturated, the worst loop lag and the highest RSS, and at its end
 * a {@link Summary}: CPU use (over the period and over the last 2 s), throughput counted and by
 * Little's law, the spread of task durations and the share of overloaded answers.
 *
 * <pre>
 *   begin(o) --add(o) per sample (true once the period is long enough)--&gt; summarize(o) --&gt; begin(o)
 * </pre>
 *
 * The mean task duration and the 2 s CPU window carry over from one period to the next.
 *
 * <p>Not thread-safe: owned by one controller, called from the pool's sampling tick only.
 */
final class PeriodStatistics {

    static final long MIN_PERIOD_NANOS = 250_000_000L;
    static final long MAX_PERIOD_NANOS = 10_000_000_000L;
    /** CPU is also read over this window, beyond the period. */
    static final long CPU_WINDOW_NANOS = 2_000_000_000L;
    /** A worker that just started serving runs its first tasks cold (JIT): samples this close after do not count as saturated. */
    static final long WARM_NANOS = 1_000_000_000L;
    /** Fewer client answers than this in a period say nothing about overload. */
    static final int MIN_RESPONSES = 10;
    /** The pool is saturated over a period when it was in at least this share of its samples. */
    static final double SATURATED_SHARE = 0.8;

    /** The tree's cumulative CPU time at a sample. */
    private record CpuMark(long atNanos, long cpuNanos) {}

    /**
     * A period's figures, taken at its end. Immutable.
     *
     * @param cpuCores        the tree's CPU use over the period, in cores
     * @param cpuCores2s      over the last 2 s (the period's when it is shorter)
     * @param running         mean running units over the period
     * @param done            tasks finished in the period
     * @param spread          the relative standard deviation of their durations (1 when none finished)
     * @param littleTasksPerS throughput by Little's law: running tasks over their mean duration (0 when none finished)
     * @param tasksPerS       throughput counted, from one mean task duration into the period
     * @param responses       client answers reported in the period
     * @param overloadShare   the share of them that said overloaded (0 below {@value #MIN_RESPONSES} answers)
     * @param saturated       whether the pool ran all it was allowed with tasks waiting, in most samples
     * @param maxLagNanos     the worst loop lag, or -1 when no loop is measured
     * @param maxRssBytes     the highest RSS
     */
    record Summary(double cpuCores, double cpuCores2s, double running, long done, double spread, double littleTasksPerS,
                   double tasksPerS, long responses, double overloadShare, boolean saturated, long maxLagNanos, long maxRssBytes) {}

    private Observation start, throughputStart;
    private int samples, saturatedSamples;
    private double sumRunning;
    private long maxLag = -1, maxRss;
    private double meanTaskNanos = -1;
    private final ArrayDeque<CpuMark> cpuWindow = new ArrayDeque<>();
    /** When more workers last started serving: the samples after it are not counted saturated while they warm up. */
    private long servingRoseAt = Long.MIN_VALUE / 2;

    /** Starts a period at {@code o}. */
    void begin(Observation o) {
        start = o;
        throughputStart = null;
        samples = 0;
        saturatedSamples = 0;
        sumRunning = 0;
        maxLag = -1;
        maxRss = o.load().rssBytes();
    }

    /**
     * Counts a sample. True when the period is long enough to decide on.
     *
     * @param allowed how many units the pool was allowed to run (desired, capped by memory): running
     *                that many with tasks queued is saturation
     */
    boolean add(Observation o, Observation prev, int allowed) {
        cpuWindow.addLast(new CpuMark(o.nanos(), o.load().cpuNanos()));
        while (o.nanos() - cpuWindow.peekFirst().atNanos() > CPU_WINDOW_NANOS) cpuWindow.removeFirst();
        samples++;
        double running = o.runningUnits();
        sumRunning += running;
        if (o.workers() > prev.workers()) servingRoseAt = o.nanos();
        boolean warm = o.nanos() - servingRoseAt >= WARM_NANOS;
        if (o.queued() > 0 && running >= allowed && warm) saturatedSamples++;
        maxLag = Math.max(maxLag, o.load().lagNanos());
        maxRss = Math.max(maxRss, o.load().rssBytes());
        long elapsed = o.nanos() - start.nanos();
        if (throughputStart == null && elapsed >= fillNanos()) throughputStart = o;
        return elapsed >= periodNanos();
    }

    /** The tree's CPU use since the period began, in cores (0 at its first sample). */
    double cpuSoFar(Observation o) {
        double seconds = (o.nanos() - start.nanos()) / 1e9;
        return seconds > 0 ? (o.load().cpuNanos() - start.load().cpuNanos()) / 1e9 / seconds : 0;
    }

    /** The worst loop lag of the period so far, or -1. */
    long maxLagNanos() {
        return maxLag;
    }

    /** The mean task duration (smoothed over periods), or -1 before a task has finished. */
    double meanTaskNanos() {
        return meanTaskNanos;
    }

    /** The period's figures at {@code o}, its end; updates the mean task duration. */
    Summary summarize(Observation o) {
        double cpu = (o.load().cpuNanos() - start.load().cpuNanos()) / 1e9 / ((o.nanos() - start.nanos()) / 1e9);
        CpuMark oldest = cpuWindow.peekFirst();
        double cpu2s = oldest != null && o.nanos() > oldest.atNanos()
                ? (o.load().cpuNanos() - oldest.cpuNanos()) / (double) (o.nanos() - oldest.atNanos()) : cpu;
        double running = sumRunning / samples;
        long done = o.completed() - start.completed();
        // throughput two ways: finished tasks counted (what the log shows), and by Little's law,
        // running tasks over their mean duration, which is far less noisy when durations are
        // regular (an IO latency) and is what steps are judged by, with its own noise
        double meanSeconds = 0, spread = 1;
        if (done > 0) {
            double mean = (double) (o.completedNanos() - start.completedNanos()) / done;
            meanTaskNanos = meanTaskNanos < 0 ? mean : 0.5 * meanTaskNanos + 0.5 * mean;
            meanSeconds = mean / 1e9;
            double square = (o.completedSquares() - start.completedSquares()) / done;
            spread = meanSeconds > 0 ? Math.sqrt(Math.max(0, square - meanSeconds * meanSeconds)) / meanSeconds : 1;
        }
        double littleTasksPerS = meanSeconds > 0 ? running / meanSeconds : 0;
        Observation from = throughputStart != null && throughputStart.nanos() < o.nanos() ? throughputStart : start;
        double tasksPerS = (o.completed() - from.completed()) / ((o.nanos() - from.nanos()) / 1e9);
        long responses = o.responses() - start.responses();
        double share = responses >= MIN_RESPONSES ? (double) (o.overloads() - start.overloads()) / responses : 0;
        boolean saturated = saturatedSamples >= SATURATED_SHARE * samples;
        return new Summary(cpu, cpu2s, running, done, spread, littleTasksPerS, tasksPerS, responses, share, saturated, maxLag, maxRss);
    }

    /** Three mean task durations, so the period sees the new concurrency at work; within [0.25 s, 10 s]. */
    private long periodNanos() {
        return meanTaskNanos < 0 ? MIN_PERIOD_NANOS : (long) Math.max(MIN_PERIOD_NANOS, Math.min(MAX_PERIOD_NANOS, 3 * meanTaskNanos));
    }

    /** Throughput is counted from one mean task duration into the period: the tasks started at the new concurrency. */
    private long fillNanos() {
        return meanTaskNanos < 0 ? 0 : (long) Math.min(meanTaskNanos, periodNanos() / 3.0);
    }
}
