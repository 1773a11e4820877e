package io.railyard.core.autoscale;

import io.railyard.core.autoscale.PeriodStatistics.Summary;
import io.railyard.core.autoscale.ScalingDecision.Reason;
import io.railyard.core.autoscale.ScalingPhases.Step;

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
 * The phases (RAMP, CLIMB, HOLD) and how they follow each other: {@link ScalingPhases}.
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
 * <h2>Parts</h2>
 * {@link MemoryProjection} holds the memory model above (unit cost, margin, what fits);
 * {@link PeriodStatistics} measures each decision period (CPU, throughput, saturation, lag);
 * {@link ScalingPhases} holds the phase, the size of the next step and the step being judged.
 * This class feeds them each sample and decides: memory on every sample, everything else at the
 * end of a period.
 *
 * <p>Not thread-safe: called from the pool's sampling tick only.
 */
final class RailyardController implements Controller {

    /** A step up must deliver at least this share of its proportional throughput gain. */
    static final double MIN_GAIN = 0.5;
    /**
     * CPU over the budget: /proc counts CPU in 10 ms ticks per process, up to 0.5% of a 2 s window
     * per process; over the last 2 s, above budget x 1.05 is over; over a period (0.25 s and up),
     * above budget x 1.25 is clearly over.
     */
    static final double CPU_TOLERANCE = 1.05, CPU_CLEARLY_OVER = 1.25;
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

    private final MemoryProjection memory;
    private final PeriodStatistics period = new PeriodStatistics();
    private final ScalingPhases phases = new ScalingPhases();

    private int desired = 1;
    /** The previous sample; null before the first. */
    private Observation prev;
    /** Workers asked for at the previous sample. */
    private int asked = 1;

    RailyardController(Budget budget, AutoscaleOptions options) {
        this.budget = budget;
        this.memoryLimit = budget.maxMemoryBytes();
        this.maxConcurrency = budget.maxConcurrency();
        this.maxLagNanos = options.maxLag().toNanos();
        this.maxShare = options.maxClientOverloadShare();
        this.stopTasks = options.stopTasksOnMemoryGrowth();
        this.memory = new MemoryProjection(memoryLimit, maxConcurrency);
    }

    @Override
    public Verdict initial() {
        return new Verdict(1, 1, 1, 0);
    }

    @Override
    public Verdict onSample(Observation o, DecisionLog log) {
        if (prev == null) start(o);
        memory.observe(o, prev, asked);
        long margin = memory.margin();
        int memCap = memory.cap(o, margin, period.meanTaskNanos());
        int stop = fitMemory(o, margin, memCap, log);
        if (period.add(o, prev, Math.min(desired, memCap)))
            decide(o, o.workers() >= 0 ? Math.min(memCap, memory.workersToAdd(o, margin)) : memCap, log);

        int limit = Math.max(1, Math.min(desired, Math.min(memCap, maxConcurrency)));
        prev = o;
        asked = limit;
        return new Verdict(desired, limit, limit, stop);
    }

    private void start(Observation o) {
        prev = o;
        memory.start(o);
        phases.start(o.nanos());
        period.begin(o);
    }

    /**
     * Memory, on every sample: cuts the desired concurrency to what fits, and as the last resort,
     * half-way into the margin, stops the youngest task while memory still grows (growth the gate
     * could not prevent: a task allocating on and on). Returns the tasks to stop.
     */
    private int fitMemory(Observation o, long margin, int memCap, DecisionLog log) {
        if (memCap < desired && desired > 1) {
            memoryChange(o, Math.max(1, memCap), Reason.MEMORY, String.format(Locale.ROOT,
                    "%s would not fit in budget %s - margin %s (%s per %s)", plural(desired, o),
                    Budget.mib(memoryLimit), Budget.mib(margin), Budget.mib(memory.unitBytes()), o.workers() >= 0 ? "worker" : "task"), log);
        }
        long rss = o.load().rssBytes();
        if (stopTasks && o.inFlight() > 0 && rss > memoryLimit - margin / 2 && memory.growing(o, prev)) {
            memoryChange(o, Math.max(1, Math.min(desired, o.inFlight() - 1)), Reason.MEMORY_STOP, String.format(Locale.ROOT,
                    "rss %s still growing past budget %s - margin/2 %s: stopping the youngest task",
                    Budget.mib(rss), Budget.mib(memoryLimit), Budget.mib(margin / 2)), log);
            return 1;
        }
        return 0;
    }

    /** End of a decision period: react to an overload, else judge the last step and maybe step up. */
    private void decide(Observation o, int memCap, DecisionLog log) {
        Summary s = period.summarize(o);
        memory.learnMarginal(o, s.running(), s.maxRssBytes());
        double cpuPerTask = s.running() >= 0.5 ? s.cpuCores() / s.running() : 0;
        int cpuCap = cpuPerTask > 1e-3 ? (int) Math.min(maxConcurrency, Math.floor(budget.maxCpuCores() / cpuPerTask + 0.1))
                : maxConcurrency;
        int cap = Math.max(1, Math.min(maxConcurrency, Math.min(cpuCap, memCap)));
        Context c = new Context(s.cpuCores(), s.maxLagNanos(), s.overloadShare(), s.tasksPerS());
        // over the budget: clearly so over the period (a short window's tick noise is well under 25%),
        // or beyond the tick noise over the last 2 s
        boolean cpuOver = s.cpuCores() > budget.maxCpuCores() * CPU_CLEARLY_OVER || s.cpuCores2s() > budget.maxCpuCores() * CPU_TOLERANCE;

        if (cpuOver && desired > 1) {
            double over = Math.max(s.cpuCores(), s.cpuCores2s());
            int to = (int) Math.max(1, Math.min(desired - 1, Math.floor(s.running() * budget.maxCpuCores() / over)));
            change(o, to, Reason.CPU, String.format(Locale.ROOT, "cpu %.2f cores (%.2f over 2 s) > budget %.2f", s.cpuCores(),
                    s.cpuCores2s(), budget.maxCpuCores()), log, new Context(over, s.maxLagNanos(), s.overloadShare(), s.tasksPerS()));
            phases.backedOff();
        } else if (s.maxLagNanos() > maxLagNanos && desired > 1) {
            change(o, backOff(s.running()), Reason.LOOP_LAG, String.format(Locale.ROOT, "loop lag %.1f ms > %.1f ms",
                    s.maxLagNanos() / 1e6, maxLagNanos / 1e6), log, c);
            phases.backedOff();
        } else if (s.overloadShare() > maxShare && desired > 1) {
            change(o, backOff(s.running()), Reason.CLIENT, String.format(Locale.ROOT, "%.0f%% of %d answers said overloaded (429/503) > %.0f%%",
                    s.overloadShare() * 100, s.responses(), maxShare * 100), log, c);
            phases.backedOff();
        } else if (s.saturated()) {
            boolean undone = judgeStep(o, s, log, c);
            if (!undone && desired < cap && phases.mayStepUp(o.nanos())) stepUp(o, s, cap, log, c);
        }
        period.begin(o);
    }

    /**
     * Judges the step up taken a period ago by this period's throughput: it must rise by at least
     * {@link #MIN_GAIN} of the step's proportional gain, beyond the noise of both measurements, or
     * the step is cut back to the part that paid. True if it was undone.
     */
    private boolean judgeStep(Observation o, Summary s, DecisionLog log, Context c) {
        Step step = phases.judged();
        if (step == null) return false;
        if (s.done() < MIN_JUDGED || step.done() < MIN_JUDGED) {
            phases.stepKept(); // too few finished tasks to judge by: the step stays
            return false;
        }
        double needed = step.tasksPerS() * (1 + MIN_GAIN * ((double) desired / step.from() - 1));
        // two standard errors of both mean durations, and 2% for what the model leaves out
        double noise = 2 * Math.sqrt(s.spread() * s.spread() / s.done() + step.spread() * step.spread() / step.done()) + 0.02;
        if (s.littleTasksPerS() * (1 + noise) >= needed) {
            phases.stepPaid();
            return false;
        }
        // keep the part of the step that paid: as many more tasks as the throughput rose in proportion
        int useful = (int) Math.round(step.from() * s.littleTasksPerS() / step.tasksPerS());
        int to = Math.max(step.from(), Math.min(desired - 1, useful));
        change(o, to, Reason.NO_GAIN, String.format(Locale.ROOT,
                "%.0f tasks/s at %d vs %.0f at %d (running / mean duration): the step bought less than half its share",
                s.littleTasksPerS(), desired, step.tasksPerS(), step.from()), log, c);
        phases.stepUndone();
        return true;
    }

    /** Steps up as the phase says, at most to {@code cap}; the next period judges the step. */
    private void stepUp(Observation o, Summary s, int cap, DecisionLog log, Context c) {
        boolean far = s.cpuCores() <= FAR * budget.maxCpuCores() && (s.maxLagNanos() < 0 || s.maxLagNanos() <= FAR * maxLagNanos)
                && s.overloadShare() == 0;
        int before = desired;
        change(o, phases.stepUpTarget(desired, cap, far), Reason.SCALE_UP, String.format(Locale.ROOT,
                "%s: %.0f tasks/s, cpu %.2f of %.2f cores, rss %s of %s", phases.label(), s.tasksPerS(), s.cpuCores(),
                budget.maxCpuCores(), Budget.mib(o.load().rssBytes()), Budget.mib(memoryLimit)), log, c);
        phases.steppedUp(new Step(before, s.littleTasksPerS(), s.done(), s.spread()));
    }

    private int backOff(double running) {
        return (int) Math.max(1, Math.min(desired - 1, Math.floor(Math.min(desired, Math.ceil(running)) * phases.backOffFactor())));
    }

    /** The signal values at a decision (taken at a period's end, or at a sample for memory). */
    private record Context(double cpu, long lagNanos, double share, double tasksPerS) {}

    /** A memory decision, taken at any sample: it starts a new period. */
    private void memoryChange(Observation o, int to, Reason reason, String detail, DecisionLog log) {
        change(o, to, reason, detail, log, new Context(period.cpuSoFar(o), period.maxLagNanos(), 0, 0));
        phases.cutForMemory(reason == Reason.MEMORY_STOP);
        period.begin(o);
    }

    private void change(Observation o, int to, Reason reason, String detail, DecisionLog log, Context c) {
        if (reason != Reason.SCALE_UP) phases.forgetStep();
        if (to == desired && reason != Reason.MEMORY_STOP) return;
        log.decided(new ScalingDecision(o.nanos() / 1e9, desired, to, reason, detail, o.load().rssBytes(), c.cpu(),
                c.lagNanos() < 0 ? -1 : c.lagNanos() / 1e6, c.share(), o.inFlight(), o.queued(), c.tasksPerS()));
        desired = to;
        phases.changedAt(o.nanos());
    }

    private static String plural(int n, Observation o) {
        return n + (o.workers() >= 0 ? (n == 1 ? " worker" : " workers") : (n == 1 ? " task" : " tasks"));
    }

    int desired() {
        return desired;
    }
}
