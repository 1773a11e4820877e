package io.railyard.core.autoscale;

import io.railyard.core.autoscale.ScalingDecision.Reason;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Locale;

/**
 * railyard's scaling algorithm (the default mode). It differs from Crawlee's in three ways:
 * <ol>
 *   <li><b>It ramps multiplicatively and checks each step.</b> While every signal is under its
 *       threshold and the pool is saturated, the desired concurrency doubles each decision period
 *       (0.25 s, or three mean task durations for long tasks) — quadruples while every signal is
 *       under a quarter of its threshold — capped by what CPU and memory can hold. Each step must
 *       pay: the next period's throughput (by Little's law, running tasks over their mean duration:
 *       much less noisy than counting when durations are regular) must rise by at least half of
 *       the step's proportional gain, beyond two standard errors of the measured durations,
 *       otherwise the step is cut back to
 *       the part that paid ({@code NO_GAIN}: from 4 to 8 tasks for 1.5x the throughput, back to 6)
 *       and the pool holds, trying one step of +1/8 now and then (after 2 s, doubling up to 60 s
 *       after each failed try). So a CPU-bound run stops at the cores it really gets, an IO-bound
 *       one goes on up. A step with fewer than 8 finished tasks to judge it by (tasks longer than
 *       the period) is kept.</li>
 *   <li><b>CPU is modelled, not only thresholded.</b> CPU per running task is measured, and a step
 *       never goes past {@code budget / cpu-per-task}; above the budget the concurrency drops in
 *       proportion to the excess at once, not 5% per 10 s.</li>
 *   <li><b>Memory is projected before a task is admitted</b>, on every sample (50 ms), below.</li>
 * </ol>
 * Loop lag and client overload (the share of 429/503 answers) back off multiplicatively (x0.7
 * after a doubling, x0.9 after a climb step), then climb again, each step judged: +1/8 of the
 * concurrency, twice that after a step that paid, and so on up to a doubling (TCP's AIMD, with the
 * additive step growing while it keeps paying, so that a false alarm costs seconds, not minutes).
 *
 * <pre>
 *   RAMP (x2, x4 per period) --overload / memory--> CLIMB (+1/8, x2 per paid step) --step bought nothing--> HOLD
 *     |                                           ^                                               |
 *     +------------step bought nothing------------|-----------> HOLD --a +1/8 try paid----------->+
 * </pre>
 *
 * <h2>Why memory stays under the budget</h2>
 * Let {@code L} be the memory budget, {@code R} the tree's RSS at a sample, {@code m} the memory
 * one unit of concurrency costs and {@code G} the margin. Units and {@code m} are, per model:
 * <ul>
 *   <li>{@code processes} (a {@link io.railyard.core.Resizable} model): a unit is a worker JVM, and
 *       {@code m} is the largest RSS any worker has had so far (exact: each worker's RSS is read).
 *       The projection is {@code base + W * m}, {@code base} being the tree without its workers:
 *       every worker is assumed to grow to the largest one seen. For adding workers (only), no
 *       second worker starts before a task has finished, and until {@code m} has settled (the
 *       largest worker grew less than 5% over 2 s) it counts 1.5 times: a booting JVM is far
 *       smaller than a working one, and a working one grows as it warms up. A step up is judged
 *       only once its new workers have served for a second.</li>
 *   <li>in-JVM models: a unit is a running task, and {@code m} is the median marginal memory per
 *       task of the last five rises of running tasks by a quarter or more (RSS rise over the rise
 *       in running tasks; the median, because the JVM grows on its own early on — JIT, heap — and
 *       one step would take that for the tasks'). The projection is {@code R + young * m}, young
 *       being the running tasks added within the last mean task duration, whose memory may not
 *       show in {@code R} yet.</li>
 * </ul>
 * {@code G} is twice the fastest unplanned growth seen between two samples over the last 5 s
 * (in-JVM: growth beyond {@code m} per task added; processes: the growth of the tree without its
 * workers, plus {@code W} times the growth of the largest worker past {@code m}; and for processes
 * at least the fastest rise of one worker between two samples, a task's allocation burst), and at least
 * {@code L/64} (4 MiB or more). On every sample the gate admits new tasks (and the model gets
 * workers) only while the projection with one more unit stays at or under {@code L - G}; when the
 * projection for the units already running exceeds {@code L - G}, the desired concurrency drops to
 * what fits ({@code MEMORY}) and surplus workers are retired, before the limit. (In-JVM models
 * with nothing young and RSS flat only stop admitting: a JVM keeps the heap it grew, so fewer tasks
 * would not lower RSS, and cutting further on every sample would spiral down to one.) If memory still
 * grows past {@code L - G/2} (in-JVM models: over two samples in a row), the youngest running task
 * is stopped ({@code MEMORY_STOP}, its future fails with {@link OverBudgetException}; for
 * {@code processes} its worker is killed and its memory freed at once).
 *
 * <p>Hence the tree never exceeds {@code L} as long as: (A1) between two samples (in-JVM models: over
 * two sample periods) the tree grows by less than {@code G/2} — that is what the margin buys, and it
 * adapts to the growth it sees; (A2) no
 * unit grows past {@code m} faster than one sample period (a larger unit raises {@code m} at the
 * next sample); (A3) processes outside the tree do not count (the tree is what is measured); and
 * (A4) stopping a task ends its growth within a sample (a killed worker does; an in-JVM task must
 * honour interruption, and its garbage stays in the heap: run in-JVM models with {@code -Xmx} inside
 * the budget). The one exception is deliberate: one task may always run, so that a run progresses
 * even when the JVM alone fills the budget.
 *
 * <p>Not thread-safe: called from the pool's sampling tick only.
 */
final class RailyardController implements Controller {

    static final long MIN_PERIOD_NANOS = 250_000_000L;
    static final long MAX_PERIOD_NANOS = 10_000_000_000L;
    static final long FIRST_PROBE_NANOS = 2_000_000_000L;
    static final long MAX_PROBE_NANOS = 60_000_000_000L;
    /** A step up must deliver at least this share of its proportional throughput gain. */
    static final double MIN_GAIN = 0.5;
    /**
     * Multiplicative decrease for loop lag and client overload: x0.7 when the overload follows a
     * doubling (the overshoot may be large), x0.9 when it follows a +1/8 climb (it is small).
     */
    static final double BACK_OFF_AFTER_RAMP = 0.7, BACK_OFF = 0.9;
    /**
     * CPU over the budget: /proc counts CPU in 10 ms ticks per process, up to 0.5% of a 2 s window
     * per process; over the last 2 s, above budget x 1.05 is over; over a period (0.25 s and up),
     * above budget x 1.25 is clearly over.
     */
    static final double CPU_TOLERANCE = 1.05, CPU_CLEARLY_OVER = 1.25;
    static final long CPU_WINDOW_NANOS = 2_000_000_000L;
    static final long GROWTH_WINDOW_NANOS = 5_000_000_000L;
    /** The largest worker's size is settled when it grew by no more than 5% (or 2 MiB) over 2 s. */
    static final long UNIT_SETTLED_NANOS = 2_000_000_000L, UNIT_SETTLED_BYTES = 2L << 20;
    /** A worker that just started serving runs its first tasks cold (JIT): periods this close after are not judged. */
    static final long WARM_NANOS = 1_000_000_000L;
    /** Growth smaller than this between samples is noise (GC, page cache) for the stop rule. */
    static final long GROWTH_NOISE_BYTES = 1L << 20;
    static final int MARGINAL_STEPS = 5;
    /** A marginal memory per task is learned from rises of running tasks by a quarter or more. */
    static final double MIN_RISE = 0.25;
    /** Tasks count as young (their memory not yet shown) for at most this long. */
    static final long MAX_YOUNG_NANOS = 10_000_000_000L;
    static final int MIN_RESPONSES = 10;
    /** Fewer finished tasks than this in a period is too few to judge a step by (it is kept). */
    static final int MIN_JUDGED = 8;
    /** Far from every limit (a quarter or less), the ramp quadruples instead of doubling. */
    static final double FAR = 0.25;

    private final Budget budget;
    private final long memoryLimit;
    private final int maxConcurrency;
    private final long maxLagNanos;
    private final double maxShare;
    private final boolean stopTasks;

    private int desired = 1;
    /**
     * RAMP: x2 (x4 far from every limit) each period, the start. CLIMB: +1/8 each period, the step
     * doubling while it pays (after a back-off, like TCP's congestion avoidance). HOLD: stay, and try
     * one +1/8 step every {@code probeEvery} (after a step that bought nothing). Every step up is
     * judged by the next period's throughput.
     */
    private enum Phase { RAMP, CLIMB, HOLD }

    private Phase phase = Phase.RAMP;
    /** Climb steps in a row that paid: each doubles the next climb step. */
    private int climbs;
    private long lastChangeNanos;
    private long probeEvery = FIRST_PROBE_NANOS;

    /** The step up being judged: from what concurrency, at what throughput; -1 when none. */
    private int stepFrom = -1;
    private double stepFromTasksPerS;
    private long stepFromDone;
    private double stepFromSpread;

    /** The current decision period. */
    private Observation periodStart, throughputStart;
    private int samples, saturatedSamples;
    private double sumRunning;
    private long maxLag = -1, maxRss;
    private double meanTaskNanos = -1;

    /** Memory: the unit cost, the growth margin, and what in-JVM units cost at the last reference. */
    private Observation prev;
    private long unitBytes;
    private final long[] marginals = new long[MARGINAL_STEPS];
    private int marginalCount;
    private long refRss = -1, refMaxRss;
    private double refUnits, lastRunning;
    private final ArrayDeque<long[]> growth = new ArrayDeque<>(); // {nanos, unplanned bytes grown since the previous sample}
    private long lastGrowth, previousGrowth;
    /** {nanos, bytes} rises of the largest worker between two samples over the last 5 s. */
    private final ArrayDeque<long[]> bursts = new ArrayDeque<>();
    /** {nanos, unitBytes} of the last 2 s and one older: whether {@code m} has settled. */
    private final ArrayDeque<long[]> unitHistory = new ArrayDeque<>();
    /** Workers the controller last asked for, and when more started serving. */
    private int asked = 1;
    private long servingRoseAt = Long.MIN_VALUE / 2;
    /** {nanos, running units} of the samples of the last 10 s: which units are young. */
    private final ArrayDeque<long[]> unitsHistory = new ArrayDeque<>();
    private long prevGap = 1;
    /** {nanos, cpuNanos} of the samples of the last 2 s: the CPU window. */
    private final ArrayDeque<long[]> cpuWindow = new ArrayDeque<>();

    RailyardController(Budget budget, AutoscaleOptions options) {
        this.budget = budget;
        this.memoryLimit = budget.maxMemoryBytes();
        this.maxConcurrency = budget.maxConcurrency();
        this.maxLagNanos = options.maxLag().toNanos();
        this.maxShare = options.maxClientOverloadShare();
        this.stopTasks = options.stopTasksOnMemoryGrowth();
    }

    @Override
    public Verdict initial() {
        return new Verdict(1, 1, 1, 0);
    }

    @Override
    public Verdict onSample(Observation o, DecisionLog log) {
        if (prev == null) start(o);
        long rss = o.load().rssBytes();
        trackGrowth(o);
        learnUnitMemory(o);
        unitsHistory.addLast(new long[]{o.nanos(), (long) running(o)});
        while (o.nanos() - unitsHistory.peekFirst()[0] > MAX_YOUNG_NANOS) unitsHistory.removeFirst();
        prevGap = Math.max(1, o.nanos() - prev.nanos());
        long margin = margin();
        int memCap = memoryCap(o, margin);

        if (memCap < desired && desired > 1) {
            change(o, Math.max(1, memCap), Reason.MEMORY, String.format(Locale.ROOT,
                    "%s would not fit in budget %s - margin %s (%s per %s)", plural(desired, o),
                    Budget.mib(memoryLimit), Budget.mib(margin), Budget.mib(unitBytes), o.workers() >= 0 ? "worker" : "task"), log, true);
        }
        // the last resort, half-way into the margin: growth the gate could not prevent (a task allocating on and on)
        int stop = 0;
        // worker processes: the tree growing at all, so close to the limit (killing a worker frees its
        // memory); in-JVM models: unplanned growth two samples in a row, so that one step of heap
        // expansion (a GC growing the heap, which stopping a task would not undo) is not taken for a
        // task allocating
        boolean growing = o.workers() >= 0 ? rss - prev.load().rssBytes() > GROWTH_NOISE_BYTES
                : lastGrowth > GROWTH_NOISE_BYTES && previousGrowth > GROWTH_NOISE_BYTES;
        if (stopTasks && o.inFlight() > 0 && rss > memoryLimit - margin / 2 && growing) {
            stop = 1;
            change(o, Math.max(1, Math.min(desired, o.inFlight() - 1)), Reason.MEMORY_STOP, String.format(Locale.ROOT,
                    "rss %s still growing past budget %s - margin/2 %s: stopping the youngest task",
                    Budget.mib(rss), Budget.mib(memoryLimit), Budget.mib(margin / 2)), log, true);
        }

        cpuWindow.addLast(new long[]{o.nanos(), o.load().cpuNanos()});
        while (o.nanos() - cpuWindow.peekFirst()[0] > CPU_WINDOW_NANOS) cpuWindow.removeFirst();
        samples++;
        double running = running(o);
        sumRunning += running;
        if (o.workers() > prev.workers()) servingRoseAt = o.nanos();
        boolean warm = o.nanos() - servingRoseAt >= WARM_NANOS;
        if (o.queued() > 0 && running >= Math.min(desired, memCap) && warm) saturatedSamples++;
        maxLag = Math.max(maxLag, o.load().lagNanos());
        maxRss = Math.max(maxRss, rss);
        long elapsed = o.nanos() - periodStart.nanos();
        if (throughputStart == null && elapsed >= fillNanos()) throughputStart = o;
        if (elapsed >= periodNanos()) decide(o, o.workers() >= 0 ? Math.min(memCap, workersToAdd(o, margin)) : memCap, log);

        int limit = Math.max(1, Math.min(desired, Math.min(memCap, maxConcurrency)));
        prev = o;
        asked = limit;
        return new Verdict(desired, limit, limit, stop);
    }

    private void start(Observation o) {
        prev = o;
        refRss = o.load().rssBytes();
        refMaxRss = refRss;
        refUnits = running(o);
        lastRunning = refUnits;
        lastChangeNanos = o.nanos();
        newPeriod(o);
    }

    /** End of a decision period: judge the last step, react to overloads, or step up. */
    private void decide(Observation o, int memCap, DecisionLog log) {
        double seconds = (o.nanos() - periodStart.nanos()) / 1e9;
        double cpu = (o.load().cpuNanos() - periodStart.load().cpuNanos()) / 1e9 / seconds;
        // over the budget: clearly so over the period (a short window's tick noise is well under 25%),
        // or beyond the tick noise over the last 2 s
        long[] oldest = cpuWindow.peekFirst();
        double cpu2s = oldest != null && o.nanos() > oldest[0] ? (o.load().cpuNanos() - oldest[1]) / (double) (o.nanos() - oldest[0]) : cpu;
        boolean cpuOver = cpu > budget.maxCpuCores() * CPU_CLEARLY_OVER || cpu2s > budget.maxCpuCores() * CPU_TOLERANCE;
        double running = sumRunning / samples;
        long done = o.completed() - periodStart.completed();
        // throughput two ways: finished tasks counted (what the log shows), and by Little's law,
        // running tasks over their mean duration, which is far less noisy when durations are
        // regular (an IO latency) and is what steps are judged by, with its own noise
        double meanSeconds = 0, spread = 1;
        if (done > 0) {
            double mean = (double) (o.completedNanos() - periodStart.completedNanos()) / done;
            meanTaskNanos = meanTaskNanos < 0 ? mean : 0.5 * meanTaskNanos + 0.5 * mean;
            meanSeconds = mean / 1e9;
            double square = (o.completedSquares() - periodStart.completedSquares()) / done;
            spread = meanSeconds > 0 ? Math.sqrt(Math.max(0, square - meanSeconds * meanSeconds)) / meanSeconds : 1;
        }
        double littleTasksPerS = meanSeconds > 0 ? running / meanSeconds : 0;
        Observation from = throughputStart != null && throughputStart.nanos() < o.nanos() ? throughputStart : periodStart;
        double tasksPerS = (o.completed() - from.completed()) / ((o.nanos() - from.nanos()) / 1e9);
        long responses = o.responses() - periodStart.responses();
        double share = responses >= MIN_RESPONSES ? (double) (o.overloads() - periodStart.overloads()) / responses : 0;
        boolean saturated = saturatedSamples >= 0.8 * samples;
        learnMarginal(o, running);

        double cpuPerTask = running >= 0.5 ? cpu / running : 0;
        int cpuCap = cpuPerTask > 1e-3 ? (int) Math.min(maxConcurrency, Math.floor(budget.maxCpuCores() / cpuPerTask + 0.1))
                : maxConcurrency;
        int cap = Math.max(1, Math.min(maxConcurrency, Math.min(cpuCap, memCap)));
        Context c = new Context(cpu, maxLag, share, tasksPerS);

        if (cpuOver && desired > 1) {
            double over = Math.max(cpu, cpu2s);
            int to = (int) Math.max(1, Math.min(desired - 1, Math.floor(running * budget.maxCpuCores() / over)));
            change(o, to, Reason.CPU, String.format(Locale.ROOT, "cpu %.2f cores (%.2f over 2 s) > budget %.2f", cpu, cpu2s,
                    budget.maxCpuCores()), log, new Context(over, maxLag, share, tasksPerS));
            phase = Phase.CLIMB;
        } else if (maxLag > maxLagNanos && desired > 1) {
            change(o, backOff(running), Reason.LOOP_LAG, String.format(Locale.ROOT, "loop lag %.1f ms > %.1f ms",
                    maxLag / 1e6, maxLagNanos / 1e6), log, c);
            phase = Phase.CLIMB;
        } else if (share > maxShare && desired > 1) {
            change(o, backOff(running), Reason.CLIENT, String.format(Locale.ROOT, "%.0f%% of %d answers said overloaded (429/503) > %.0f%%",
                    share * 100, responses, maxShare * 100), log, c);
            phase = Phase.CLIMB;
        } else if (saturated) {
            boolean undone = false;
            if (stepFrom > 0 && done >= MIN_JUDGED && stepFromDone >= MIN_JUDGED) {
                double needed = stepFromTasksPerS * (1 + MIN_GAIN * ((double) desired / stepFrom - 1));
                // two standard errors of both mean durations, and 2% for what the model leaves out
                double noise = 2 * Math.sqrt(spread * spread / done + stepFromSpread * stepFromSpread / stepFromDone) + 0.02;
                if (littleTasksPerS * (1 + noise) < needed) {
                    // keep the part of the step that paid: as many more tasks as the throughput rose in proportion
                    int useful = (int) Math.round(stepFrom * littleTasksPerS / stepFromTasksPerS);
                    int to = Math.max(stepFrom, Math.min(desired - 1, useful));
                    change(o, to, Reason.NO_GAIN, String.format(Locale.ROOT,
                            "%.0f tasks/s at %d vs %.0f at %d (running / mean duration): the step bought less than half its share",
                            littleTasksPerS, desired, stepFromTasksPerS, stepFrom), log, c);
                    if (phase == Phase.HOLD) probeEvery = Math.min(MAX_PROBE_NANOS, probeEvery * 2);
                    phase = Phase.HOLD;
                    undone = true;
                } else {
                    if (phase == Phase.HOLD) phase = Phase.CLIMB; // the probe paid: climb on
                    else if (phase == Phase.CLIMB) climbs++;
                    probeEvery = FIRST_PROBE_NANOS;
                    stepFrom = -1;
                }
            } else if (stepFrom > 0) {
                stepFrom = -1; // too few finished tasks to judge by: the step stays
            }
            if (!undone && desired < cap && (phase != Phase.HOLD || o.nanos() - lastChangeNanos >= probeEvery)) {
                boolean far = cpu <= FAR * budget.maxCpuCores() && (maxLag < 0 || maxLag <= FAR * maxLagNanos) && share == 0;
                // climbing: +1/8, doubling with each step that paid, up to a doubling of the whole
                int climb = Math.min(desired, Math.max(1, desired / 8) << Math.min(climbs, 3));
                int to = Math.min(cap, phase == Phase.RAMP ? desired * (far ? 4 : 2) : desired + climb);
                int before = desired;
                change(o, to, Reason.SCALE_UP, String.format(Locale.ROOT, "%s: %.0f tasks/s, cpu %.2f of %.2f cores, rss %s of %s",
                        phase.name().toLowerCase(Locale.ROOT), tasksPerS, cpu, budget.maxCpuCores(), Budget.mib(o.load().rssBytes()),
                        Budget.mib(memoryLimit)), log, c);
                stepFrom = before;
                stepFromTasksPerS = littleTasksPerS;
                stepFromDone = done;
                stepFromSpread = spread;
            }
        }
        newPeriod(o);
    }

    private int backOff(double running) {
        double factor = phase == Phase.RAMP ? BACK_OFF_AFTER_RAMP : BACK_OFF;
        return (int) Math.max(1, Math.min(desired - 1, Math.floor(Math.min(desired, Math.ceil(running)) * factor)));
    }

    /** The signal values at a decision (taken at a period's end, or at a sample for memory). */
    private record Context(double cpu, long lagNanos, double share, double tasksPerS) {}

    private void change(Observation o, int to, Reason reason, String detail, DecisionLog log, boolean memory) {
        double seconds = (o.nanos() - periodStart.nanos()) / 1e9;
        double cpu = seconds > 0 ? (o.load().cpuNanos() - periodStart.load().cpuNanos()) / 1e9 / seconds : 0;
        change(o, to, reason, detail, log, new Context(cpu, maxLag, 0, 0));
        if (memory) {
            phase = reason == Reason.MEMORY_STOP ? Phase.HOLD : Phase.CLIMB;
            newPeriod(o);
        }
    }

    private void change(Observation o, int to, Reason reason, String detail, DecisionLog log, Context c) {
        if (reason != Reason.SCALE_UP) {
            stepFrom = -1;
            climbs = 0;
        }
        if (to == desired && reason != Reason.MEMORY_STOP) return;
        log.decided(new ScalingDecision(o.nanos() / 1e9, desired, to, reason, detail, o.load().rssBytes(), c.cpu(),
                c.lagNanos() < 0 ? -1 : c.lagNanos() / 1e6, c.share(), o.inFlight(), o.queued(), c.tasksPerS()));
        desired = to;
        lastChangeNanos = o.nanos();
    }

    private void newPeriod(Observation o) {
        periodStart = o;
        throughputStart = null;
        samples = 0;
        saturatedSamples = 0;
        sumRunning = 0;
        maxLag = -1;
        maxRss = o.load().rssBytes();
    }

    /** Three mean task durations, so the period sees the new concurrency at work; within [0.25 s, 10 s]. */
    private long periodNanos() {
        return meanTaskNanos < 0 ? MIN_PERIOD_NANOS : (long) Math.max(MIN_PERIOD_NANOS, Math.min(MAX_PERIOD_NANOS, 3 * meanTaskNanos));
    }

    /** Throughput is counted from one mean task duration into the period: the tasks started at the new concurrency. */
    private long fillNanos() {
        return meanTaskNanos < 0 ? 0 : (long) Math.min(meanTaskNanos, periodNanos() / 3.0);
    }

    /** Running units: tasks in flight, and for worker processes only those with a live worker. */
    private static double running(Observation o) {
        return o.workers() >= 0 ? Math.min(o.inFlight(), o.workers()) : o.inFlight();
    }

    private static String plural(int n, Observation o) {
        return n + (o.workers() >= 0 ? (n == 1 ? " worker" : " workers") : (n == 1 ? " task" : " tasks"));
    }

    // ---------------------------------------------------------------- memory

    /**
     * Worker processes, for steps up only: how many workers fit when a worker's size has not
     * settled yet (the largest grew 5% or more over 2 s) and so counts 1.5 times: a booting JVM is
     * far smaller than a working one, and a working one grows as its JIT and heap warm up. No
     * second worker before a task has finished. Workers already running are judged by the plain
     * projection ({@link #memoryCap}), so that a worker growing a little does not retire others.
     */
    private int workersToAdd(Observation o, long margin) {
        if (o.completed() == 0 || unitBytes <= 0) return 1;
        long unit = unitKnown(o) ? unitBytes : unitBytes + unitBytes / 2;
        return (int) Math.max(0, Math.min(maxConcurrency, Math.floorDiv(memoryLimit - margin - o.baseRssBytes(), unit)));
    }

    /** How many units fit: the projection with that many stays at or under L - G. */
    private int memoryCap(Observation o, long margin) {
        long room = memoryLimit - margin;
        if (o.workers() >= 0) {
            if (unitBytes <= 0) return 1; // no worker measured yet: one, to learn what a worker costs
            return (int) Math.max(0, Math.min(maxConcurrency, Math.floorDiv(room - o.baseRssBytes(), unitBytes)));
        }
        int young = youngUnits(o);
        long projected = o.load().rssBytes() + (long) young * unitBytes;
        // over the line, but nothing young and RSS flat: a JVM does not give heap back, so fewer tasks
        // would not lower RSS; hold what runs (no admission), and cut only while memory grows
        if (projected > room && young == 0 && lastGrowth <= GROWTH_NOISE_BYTES) return Math.min(maxConcurrency, o.inFlight());
        // nothing learned yet: no projection, so at most a doubling of what runs, and only with room left
        if (unitBytes <= 0) return projected <= room ? Math.max(1, 2 * o.inFlight()) : Math.max(0, o.inFlight() - 1);
        return (int) Math.max(0, Math.min(maxConcurrency, o.inFlight() + Math.floorDiv(room - projected, unitBytes)));
    }

    /**
     * Growth the projection did not plan, between two samples. In-JVM models: the RSS rise beyond
     * {@code m} per added running task. Worker processes: the rise of the tree without its workers,
     * plus {@code W} times the rise of the largest worker past {@code m} (the projection plans for
     * every worker reaching {@code m}; past it, any of them may be growing).
     */
    private void trackGrowth(Observation o) {
        long grown;
        if (o.workers() >= 0) {
            long pastUnit = unitBytes > 0 ? Math.max(0, o.load().largestDescendantRssBytes() - unitBytes) : 0;
            grown = Math.max(0, o.baseRssBytes() - prev.baseRssBytes()) + Math.max(o.workers(), asked) * pastUnit;
            long burst = o.load().largestDescendantRssBytes() - prev.load().largestDescendantRssBytes();
            if (burst > 0 && unitBytes > 0) bursts.addLast(new long[]{o.nanos(), burst});
            while (!bursts.isEmpty() && o.nanos() - bursts.peekFirst()[0] > GROWTH_WINDOW_NANOS) bursts.removeFirst();
        } else {
            long added = (long) Math.max(0, running(o) - running(prev));
            grown = o.load().rssBytes() - prev.load().rssBytes() - added * unitBytes;
        }
        previousGrowth = lastGrowth;
        lastGrowth = grown;
        if (grown > 0) growth.addLast(new long[]{o.nanos(), grown});
        while (!growth.isEmpty() && o.nanos() - growth.peekFirst()[0] > GROWTH_WINDOW_NANOS) growth.removeFirst();
    }

    /**
     * G: twice the fastest recent unplanned growth between two samples, at least L/64 and 4 MiB,
     * and for worker processes at least the fastest rise of one worker (a task's allocation burst,
     * by which a worker may go past the largest size seen so far before the next sample shows it).
     */
    long margin() {
        long fastest = 0, burst = 0;
        for (long[] g : growth) fastest = Math.max(fastest, g[1]);
        for (long[] b : bursts) burst = Math.max(burst, b[1]);
        return Math.max(Math.max(memoryLimit / 64, 4L << 20), Math.max(2 * fastest, burst));
    }

    /** Worker processes: the largest worker ever seen. */
    private void learnUnitMemory(Observation o) {
        if (o.workers() < 0) return;
        unitBytes = Math.max(unitBytes, o.load().largestDescendantRssBytes());
        unitHistory.addLast(new long[]{o.nanos(), unitBytes});
        // keep one entry at least 2 s old: drop the oldest while the next one is old enough too
        while (unitHistory.size() > 1) {
            long[] oldest = unitHistory.pollFirst();
            if (o.nanos() - unitHistory.peekFirst()[0] < UNIT_SETTLED_NANOS) {
                unitHistory.addFirst(oldest);
                break;
            }
        }
    }

    /** Worker processes: whether {@code m} has settled (a task finished; under 5% growth over the last 2 s). */
    private boolean unitKnown(Observation o) {
        long[] then = unitHistory.peekFirst();
        return o.completed() > 0 && then != null && o.nanos() - then[0] >= UNIT_SETTLED_NANOS
                && unitBytes <= then[1] + Math.max(UNIT_SETTLED_BYTES, then[1] / 20);
    }

    /** In-JVM models: at a period's end, the RSS rise per added running task since the reference. */
    private void learnMarginal(Observation o, double running) {
        if (o.workers() >= 0) return;
        refMaxRss = Math.max(refMaxRss, maxRss);
        // a rise of a quarter or more since the reference (over as many periods as it takes): a rise
        // of one task would divide the JVM's own noise (JIT, heap) by one
        if (running - refUnits >= Math.max(1, MIN_RISE * refUnits)) {
            marginals[marginalCount++ % MARGINAL_STEPS] = (long) (Math.max(0, refMaxRss - refRss) / (running - refUnits));
            long[] recent = Arrays.copyOf(marginals, Math.min(marginalCount, MARGINAL_STEPS));
            Arrays.sort(recent);
            unitBytes = Math.max(recent[recent.length / 2], 1);
        } else if (running > lastRunning + 0.5) {
            lastRunning = running;
            return; // still climbing towards a quarter: keep the reference
        }
        // learned, or not climbing: what RSS does from now on is measured from here
        lastRunning = running;
        refRss = o.load().rssBytes();
        refMaxRss = refRss;
        refUnits = running;
    }

    /**
     * In-JVM models: running tasks added within the last mean task duration, whose memory may not
     * show in RSS yet (tasks merely replacing finished ones reuse their heap and are not counted).
     */
    private int youngUnits(Observation o) {
        long window = meanTaskNanos < 0 ? MAX_YOUNG_NANOS : Math.max(prevGap, Math.min(MAX_YOUNG_NANOS, (long) meanTaskNanos));
        double least = running(o);
        for (long[] h : unitsHistory) if (o.nanos() - h[0] <= window) least = Math.min(least, h[1]);
        return (int) Math.max(0, running(o) - least);
    }

    /** For tests and the report: the memory one unit is taken to cost now. */
    long unitBytes() {
        return unitBytes;
    }

    int desired() {
        return desired;
    }
}
