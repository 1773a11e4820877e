package io.railyard.core.autoscale;

import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * The {@link RailyardController}'s memory model: what one unit of concurrency costs ({@code m}),
 * the margin kept for growth nobody planned ({@code G}), and from them how many units fit under
 * the budget ({@code L}). The controller's class comment says why memory stays under the budget;
 * this class is that argument's arithmetic. Per model:
 * <ul>
 *   <li>worker processes ({@link Observation#workers()} {@code >= 0}): a unit is a worker JVM;
 *       {@code m} is the largest RSS any worker has had ({@link #unitBytes()}), settled once it
 *       grew less than 5% over 2 s; the projection is {@code base + W * m};</li>
 *   <li>in-JVM models: a unit is a running task; {@code m} is the median RSS rise per added task
 *       over the last {@value #MARGINAL_STEPS} rises of a quarter or more; the projection is
 *       {@code R + young * m}, young units being those added within the last mean task duration.</li>
 * </ul>
 *
 * <pre>
 *   each sample:  observe(o) --&gt; unplanned growth (G's window), worker bursts, m for workers,
 *                                running units (which are young)
 *                 margin() = G;  cap(o, G) = units that fit;  workersToAdd(o, G) for steps up
 *   each period:  learnMarginal(o, ...) --&gt; m for in-JVM models
 * </pre>
 *
 * <p>Not thread-safe: owned by one controller, called from the pool's sampling tick only.
 */
final class MemoryProjection {

    /** Unplanned growth and worker bursts are remembered this long: G follows the recent past. */
    static final long GROWTH_WINDOW_NANOS = 5_000_000_000L;
    /** The largest worker's size is settled when it grew by no more than 5% (or 2 MiB) over 2 s. */
    static final long UNIT_SETTLED_NANOS = 2_000_000_000L, UNIT_SETTLED_BYTES = 2L << 20;
    /** Growth smaller than this between samples is noise (GC, page cache). */
    static final long GROWTH_NOISE_BYTES = 1L << 20;
    /** In-JVM models: {@code m} is the median of this many learned rises. */
    static final int MARGINAL_STEPS = 5;
    /** A marginal memory per task is learned from rises of running tasks by a quarter or more. */
    static final double MIN_RISE = 0.25;
    /** Tasks count as young (their memory not yet shown) for at most this long. */
    static final long MAX_YOUNG_NANOS = 10_000_000_000L;

    /** Memory nobody planned for, grown between two samples. */
    private record Growth(long atNanos, long bytes) {}

    /** What the largest worker measured at a sample. */
    private record WorkerSize(long atNanos, long bytes) {}

    /** How many units ran at a sample. */
    private record RunningUnits(long atNanos, double units) {}

    private final long limitBytes;
    private final int maxConcurrency;

    /** {@code m}: the memory one unit is taken to cost now; 0 until learned. */
    private long unitBytes;
    /** In-JVM models: the last learned rises per task, a ring of {@link #MARGINAL_STEPS}. */
    private final long[] marginals = new long[MARGINAL_STEPS];
    private int marginalCount;
    /** In-JVM models: RSS, its period peak and running units where the current rise is measured from. */
    private long referenceRss = -1, referenceMaxRss;
    private double referenceUnits, lastRunning;

    /** Unplanned growth between samples over the last 5 s: G is twice the largest. */
    private final ArrayDeque<Growth> unplannedGrowth = new ArrayDeque<>();
    private long lastGrowth, growthBefore;
    /** Worker processes: rises of the largest worker between two samples over the last 5 s. */
    private final ArrayDeque<Growth> workerBursts = new ArrayDeque<>();
    /** Worker processes: {@code m} over the last 2 s and one older reading: whether it has settled. */
    private final ArrayDeque<WorkerSize> unitSizes = new ArrayDeque<>();
    /** Running units over the last 10 s: which of them are young. */
    private final ArrayDeque<RunningUnits> recentRunning = new ArrayDeque<>();
    /** Time between the last two samples. */
    private long sampleGap = 1;

    MemoryProjection(long limitBytes, int maxConcurrency) {
        this.limitBytes = limitBytes;
        this.maxConcurrency = maxConcurrency;
    }

    /** The first sample: in-JVM rises are measured from here. */
    void start(Observation first) {
        referenceRss = first.load().rssBytes();
        referenceMaxRss = referenceRss;
        referenceUnits = first.runningUnits();
        lastRunning = referenceUnits;
    }

    /** {@code m}: the memory one unit is taken to cost now (0 until something is learned). */
    long unitBytes() {
        return unitBytes;
    }

    /**
     * Takes in a sample: the growth since {@code prev} that the projection did not plan, the
     * largest worker, and the units running.
     *
     * @param askedWorkers the workers the controller asked for at the previous sample
     */
    void observe(Observation o, Observation prev, int askedWorkers) {
        trackGrowth(o, prev, askedWorkers);
        learnUnitMemory(o);
        recentRunning.addLast(new RunningUnits(o.nanos(), o.runningUnits()));
        while (o.nanos() - recentRunning.peekFirst().atNanos() > MAX_YOUNG_NANOS) recentRunning.removeFirst();
        sampleGap = Math.max(1, o.nanos() - prev.nanos());
    }

    /**
     * Growth the projection did not plan, between two samples. In-JVM models: the RSS rise beyond
     * {@code m} per added running task. Worker processes: the rise of the tree without its workers,
     * plus {@code W} times the rise of the largest worker past {@code m} (the projection plans for
     * every worker reaching {@code m}; past it, any of them may be growing).
     */
    private void trackGrowth(Observation o, Observation prev, int askedWorkers) {
        long grown;
        if (o.workers() >= 0) {
            long pastUnit = unitBytes > 0 ? Math.max(0, o.load().largestDescendantRssBytes() - unitBytes) : 0;
            grown = Math.max(0, o.baseRssBytes() - prev.baseRssBytes()) + Math.max(o.workers(), askedWorkers) * pastUnit;
            long burst = o.load().largestDescendantRssBytes() - prev.load().largestDescendantRssBytes();
            if (burst > 0 && unitBytes > 0) workerBursts.addLast(new Growth(o.nanos(), burst));
            while (!workerBursts.isEmpty() && o.nanos() - workerBursts.peekFirst().atNanos() > GROWTH_WINDOW_NANOS) workerBursts.removeFirst();
        } else {
            long added = (long) Math.max(0, o.runningUnits() - prev.runningUnits());
            grown = o.load().rssBytes() - prev.load().rssBytes() - added * unitBytes;
        }
        growthBefore = lastGrowth;
        lastGrowth = grown;
        if (grown > 0) unplannedGrowth.addLast(new Growth(o.nanos(), grown));
        while (!unplannedGrowth.isEmpty() && o.nanos() - unplannedGrowth.peekFirst().atNanos() > GROWTH_WINDOW_NANOS)
            unplannedGrowth.removeFirst();
    }

    /** Worker processes: the largest worker ever seen. */
    private void learnUnitMemory(Observation o) {
        if (o.workers() < 0) return;
        unitBytes = Math.max(unitBytes, o.load().largestDescendantRssBytes());
        unitSizes.addLast(new WorkerSize(o.nanos(), unitBytes));
        // keep one reading at least 2 s old: drop the oldest while the next one is old enough too
        while (unitSizes.size() > 1) {
            WorkerSize oldest = unitSizes.pollFirst();
            if (o.nanos() - unitSizes.peekFirst().atNanos() < UNIT_SETTLED_NANOS) {
                unitSizes.addFirst(oldest);
                break;
            }
        }
    }

    /**
     * G: twice the fastest recent unplanned growth between two samples, at least L/64 and 4 MiB,
     * and for worker processes at least the fastest rise of one worker (a task's allocation burst,
     * by which a worker may go past the largest size seen so far before the next sample shows it).
     */
    long margin() {
        long fastest = 0, burst = 0;
        for (Growth g : unplannedGrowth) fastest = Math.max(fastest, g.bytes());
        for (Growth b : workerBursts) burst = Math.max(burst, b.bytes());
        return Math.max(Math.max(limitBytes / 64, 4L << 20), Math.max(2 * fastest, burst));
    }

    /**
     * How many units fit: the projection with that many stays at or under {@code L - margin}.
     *
     * @param meanTaskNanos the mean task duration, or -1 while none is known (which units are young)
     */
    int cap(Observation o, long margin, double meanTaskNanos) {
        long room = limitBytes - margin;
        if (o.workers() >= 0) {
            if (unitBytes <= 0) return 1; // no worker measured yet: one, to learn what a worker costs
            return (int) Math.max(0, Math.min(maxConcurrency, Math.floorDiv(room - o.baseRssBytes(), unitBytes)));
        }
        int young = youngUnits(o, meanTaskNanos);
        long projected = o.load().rssBytes() + (long) young * unitBytes;
        // over the line, but nothing young and RSS flat: a JVM does not give heap back, so fewer tasks
        // would not lower RSS; hold what runs (no admission), and cut only while memory grows
        if (projected > room && young == 0 && lastGrowth <= GROWTH_NOISE_BYTES) return Math.min(maxConcurrency, o.inFlight());
        // nothing learned yet: no projection, so at most a doubling of what runs, and only with room left
        if (unitBytes <= 0) return projected <= room ? Math.max(1, 2 * o.inFlight()) : Math.max(0, o.inFlight() - 1);
        return (int) Math.max(0, Math.min(maxConcurrency, o.inFlight() + Math.floorDiv(room - projected, unitBytes)));
    }

    /**
     * Worker processes, for steps up only: how many workers fit when a worker's size has not
     * settled yet (the largest grew 5% or more over 2 s) and so counts 1.5 times: a booting JVM is
     * far smaller than a working one, and a working one grows as its JIT and heap warm up. No
     * second worker before a task has finished. Workers already running are judged by the plain
     * projection ({@link #cap}), so that a worker growing a little does not retire others.
     */
    int workersToAdd(Observation o, long margin) {
        if (o.completed() == 0 || unitBytes <= 0) return 1;
        long unit = unitSettled(o) ? unitBytes : unitBytes + unitBytes / 2;
        return (int) Math.max(0, Math.min(maxConcurrency, Math.floorDiv(limitBytes - margin - o.baseRssBytes(), unit)));
    }

    /** Worker processes: whether {@code m} has settled (a task finished; under 5% growth over the last 2 s). */
    private boolean unitSettled(Observation o) {
        WorkerSize then = unitSizes.peekFirst();
        return o.completed() > 0 && then != null && o.nanos() - then.atNanos() >= UNIT_SETTLED_NANOS
                && unitBytes <= then.bytes() + Math.max(UNIT_SETTLED_BYTES, then.bytes() / 20);
    }

    /**
     * Whether memory is growing in a way stopping a task would undo. Worker processes: the tree
     * growing at all since {@code prev} (killing a worker frees its memory). In-JVM models:
     * unplanned growth two samples in a row, so that one step of heap expansion (a GC growing the
     * heap, which stopping a task would not undo) is not taken for a task allocating.
     */
    boolean growing(Observation o, Observation prev) {
        return o.workers() >= 0 ? o.load().rssBytes() - prev.load().rssBytes() > GROWTH_NOISE_BYTES
                : lastGrowth > GROWTH_NOISE_BYTES && growthBefore > GROWTH_NOISE_BYTES;
    }

    /**
     * In-JVM models, at a period's end: the RSS rise per added running task since the reference.
     *
     * @param running       the mean running units over the period
     * @param periodMaxRss  the highest RSS of the period
     */
    void learnMarginal(Observation o, double running, long periodMaxRss) {
        if (o.workers() >= 0) return;
        referenceMaxRss = Math.max(referenceMaxRss, periodMaxRss);
        // a rise of a quarter or more since the reference (over as many periods as it takes): a rise
        // of one task would divide the JVM's own noise (JIT, heap) by one
        if (running - referenceUnits >= Math.max(1, MIN_RISE * referenceUnits)) {
            marginals[marginalCount++ % MARGINAL_STEPS] = (long) (Math.max(0, referenceMaxRss - referenceRss) / (running - referenceUnits));
            long[] recent = Arrays.copyOf(marginals, Math.min(marginalCount, MARGINAL_STEPS));
            Arrays.sort(recent);
            unitBytes = Math.max(recent[recent.length / 2], 1);
        } else if (running > lastRunning + 0.5) {
            lastRunning = running;
            return; // still climbing towards a quarter: keep the reference
        }
        // learned, or not climbing: what RSS does from now on is measured from here
        lastRunning = running;
        referenceRss = o.load().rssBytes();
        referenceMaxRss = referenceRss;
        referenceUnits = running;
    }

    /**
     * In-JVM models: running tasks added within the last mean task duration, whose memory may not
     * show in RSS yet (tasks merely replacing finished ones reuse their heap and are not counted).
     */
    private int youngUnits(Observation o, double meanTaskNanos) {
        long window = meanTaskNanos < 0 ? MAX_YOUNG_NANOS : Math.max(sampleGap, Math.min(MAX_YOUNG_NANOS, (long) meanTaskNanos));
        double least = o.runningUnits();
        for (RunningUnits r : recentRunning) if (o.nanos() - r.atNanos() <= window) least = Math.min(least, r.units());
        return (int) Math.max(0, o.runningUnits() - least);
    }
}
