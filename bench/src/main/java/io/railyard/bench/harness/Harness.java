package io.railyard.bench.harness;

import io.railyard.bench.workload.Workload;
import io.railyard.core.Models;
import io.railyard.core.Resizable;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.core.autoscale.AutoscaleOptions;
import io.railyard.core.autoscale.AutoscaleReport;
import io.railyard.core.autoscale.AutoscaledPool;
import io.railyard.core.autoscale.Budget;
import io.railyard.core.autoscale.BudgetException;
import io.railyard.core.probe.RemoteResources;
import io.railyard.core.probe.ResourceSampler;
import io.railyard.core.trace.TaskRecord;
import io.railyard.core.trace.TraceRecorder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a workload on a model and measures it: {@code warmup} uncounted runs, then {@code trials}
 * counted ones, each on a freshly opened pool, with the process tree sampled throughout (and, for a
 * pool whose work runs outside the tree — cluster members reached as a client — those processes
 * too, through {@link RemoteResources}). The result's figures are medians of the counted trials.
 *
 * <p>Not thread-safe: one harness runs one thing at a time (measurements would disturb each other).
 */
public final class Harness {

    /** Told what the harness is doing, for progress bars. */
    public interface Listener {
        Listener NONE = new Listener() {};

        /** A run starts: {@code label} is "warm-up 1/1" or "trial 2/3", {@code tasks} how many it submits. */
        default void runStarted(String label, long tasks) {}

        /** The run's pool is open: its tasks go out now. */
        default void poolOpened(String label) {}

        default void taskDone(long done, long failed) {}

        default void runFinished(String label, Trial trial) {}
    }

    /** Records kept per trial; the recorder allocates its blocks as records arrive, so this costs nothing unused. */
    private static final int TRACE_CAPACITY = 1_000_000;

    private final Map<String, String> modelOptions;
    private final Listener listener;
    private final Budget budget;
    private final AutoscaleOptions autoscale;
    private final Stop stop;

    public Harness(Map<String, String> modelOptions, Listener listener) {
        this(modelOptions, listener, null, null, new Stop());
    }

    private Harness(Map<String, String> modelOptions, Listener listener, Budget budget, AutoscaleOptions autoscale, Stop stop) {
        this.modelOptions = modelOptions;
        this.listener = listener;
        this.budget = budget;
        this.autoscale = autoscale;
        this.stop = stop;
    }

    /**
     * Stops the run from another thread (a SIGTERM or SIGINT hook): the pool of the trial under way
     * is shut down now (its tasks cancelled), no further trial starts, and {@link #run} returns what
     * was done, marked {@link RunResult#stopped()}. Shared by the harnesses {@link #withBudget} derives.
     */
    public void stop() {
        stop.requested = true;
        TaskPool p = stop.pool;
        if (p != null) p.shutdownNow();
    }

    /** What {@link #stop()} reaches: the request and the pool of the trial under way. */
    private static final class Stop {
        volatile boolean requested;
        volatile TaskPool pool;
        volatile long done, failed;
    }

    /**
     * A harness whose trials are judged against {@code budget} (each trial gets a {@link BudgetCheck})
     * and, with {@code autoscale} given, run on an {@link AutoscaledPool} that keeps the budget
     * (each trial gets its {@link AutoscaleReport}); with {@code autoscale} null the concurrency stays fixed.
     */
    public Harness withBudget(Budget budget, AutoscaleOptions autoscale) {
        return new Harness(modelOptions, listener, budget, autoscale, stop);
    }

    /** How long a stopped run waits for its pool's cancelled tasks to let go of their threads. */
    private static final Duration STOPPED_POOL_WAIT = Duration.ofSeconds(5);

    /**
     * Closes the pool, waiting for its tasks; a stopped run's pool is shut down now instead and waited
     * for only briefly (a task blocked in a read that ignores interrupts must not hold the summary).
     */
    private void close(TaskPool pool) throws InterruptedException {
        if (!stop.requested) {
            pool.close();
            return;
        }
        pool.shutdownNow();
        pool.awaitTermination(STOPPED_POOL_WAIT);
    }

    /**
     * The model options of a trial: the user's, and for a fixed concurrency, workers for no more
     * tasks than the work has (a pool of 50 worker JVMs for 4 tasks starts 4) and, under a budget,
     * the budget's memory as the workers' allowance; an autoscaled pool sizes its workers itself.
     */
    private Map<String, String> poolOptions(Workload work, int concurrency) {
        if (autoscale != null) return modelOptions;
        Map<String, String> o = new java.util.HashMap<>(modelOptions);
        o.putIfAbsent(Resizable.INITIAL_WORKERS_OPTION, Long.toString(Math.max(1, Math.min(concurrency, work.tasks()))));
        if (budget != null) o.putIfAbsent("maxMemoryBytes", Long.toString(budget.maxMemoryBytes()));
        return o;
    }

    /**
     * The work once on {@code pool}, counting outcomes as they come; a run stopped ({@link #stop()})
     * whose workload gives up on the shut-down pool counts what had finished by then.
     */
    private Workload.Tally runOnce(Workload work, TaskPool pool) throws Exception {
        try {
            return work.runOnce(pool, (done, failed) -> {
                stop.done = done;
                stop.failed = failed;
                listener.taskDone(done, failed);
            });
        } catch (Exception | Error e) {
            if (!stop.requested) throw e;
            return new Workload.Tally(stop.done, stop.failed, Map.of("stopped", Math.max(0, work.tasks() - stop.done - stop.failed)));
        }
    }

    public RunResult run(Workload work, String model, int concurrency, int warmup, int trials) throws Exception {
        Models.get(model); // fail fast on an unknown model, before any work
        if (!work.supports(model)) throw new IllegalArgumentException(work.unsupportedReason(model));
        work.prepare(); // servers start and calibrations happen here, outside every trial
        double limit = work.limitSeconds(concurrency);
        long treePeak = 0;
        List<Trial> counted = new ArrayList<>();
        for (int i = 0; i < warmup && !stop.requested; i++) {
            Trial t = trial(work, model, concurrency, "warm-up " + (i + 1) + "/" + warmup, true);
            treePeak = Math.max(treePeak, t.peakRssBytes());
            if (stop.requested) counted.add(t); // stopped during the warm-up: the partial warm-up is all there is
        }
        for (int i = 0; i < trials && !stop.requested; i++)
            counted.add(trial(work, model, concurrency, "trial " + (i + 1) + "/" + trials, warmup > 0 || i > 0));
        if (counted.isEmpty()) throw new java.util.concurrent.CancellationException("the run was stopped before any task ran");
        for (Trial t : counted) treePeak = Math.max(treePeak, t.peakRssBytes());
        double wall = Stats.median(counted, Trial::wallS);
        Map<String, Long> failures = new java.util.TreeMap<>();
        for (Trial t : counted) if (t.failures() != null) t.failures().forEach((r, n) -> failures.merge(r, n, Long::sum));
        String verdict = budget == null ? null : counted.stream().allMatch(t -> t.budget() == null || t.budget().kept()) ? "kept" : "crossed";
        ProcessFigures process = ProcessFigures.now(treePeak);
        return new RunResult(work.name(), model, work.tasks(), concurrency,
                wall, Stats.median(counted, Trial::cpuS), (long) Stats.median(counted, Trial::peakRssBytes), limit,
                (long) Stats.median(counted, Trial::ok), (long) Stats.median(counted, Trial::failed),
                Stats.median(counted, Trial::coresUsed), wall / limit, Stats.median(counted, Trial::startupS),
                Stats.median(counted, Trial::queuedP50Us), Stats.median(counted, Trial::queuedP99Us),
                warmup == 0 && trials == 1 ? "cold" : "warm", warmup, work.parameters(), counted, failures, stop.requested, verdict,
                process.wallS(), process.cpuS(), process.peakRssBytes());
    }

    /** A trial's figures with the cores other programs kept busy meanwhile ({@link Trial#OTHERS_CORES}), where known. */
    public static Map<String, Double> withOthersCores(Map<String, Double> figures, ResourceSampler.Samples s) {
        double others = s.othersCores();
        if (Double.isNaN(others)) return figures;
        Map<String, Double> all = new java.util.LinkedHashMap<>(figures);
        all.put(Trial.OTHERS_CORES, Math.round(others * 100) / 100.0);
        return all;
    }

    private Trial trial(Workload work, String model, int concurrency, String label, boolean warm) throws Exception {
        listener.runStarted(label, work.tasks());
        TraceRecorder trace = new TraceRecorder(TRACE_CAPACITY); // a workload may run more than tasks(): warm-up calls
        PoolSpec spec = PoolSpec.of(concurrency).withTrace(trace).withOptions(poolOptions(work, concurrency));
        ResourceSampler sampler = ResourceSampler.every20ms().start();
        Workload.Tally tally;
        AutoscaleReport report = null;
        long t0 = System.nanoTime(), opened;
        stop.done = 0;
        stop.failed = 0;
        TaskPool pool = autoscale != null ? AutoscaledPool.open(model, spec, budget, autoscale) : Models.open(model, spec);
        try {
            opened = System.nanoTime();
            stop.pool = pool;
            listener.poolOpened(label);
            if (stop.requested) pool.shutdownNow(); // stopped while the pool opened
            // work on cluster members reached as a client runs outside this tree: count it too
            pool.capability(RemoteResources.class).ifPresent(sampler::attachRemote);
            tally = runOnce(work, pool);
            sampler.detachRemote(); // the last reading, while the members still answer this pool
            close(pool);
            AutoscaledPool autoscaled = pool.capability(AutoscaledPool.class).orElse(null);
            if (autoscaled != null) {
                report = autoscaled.report();
                if (autoscaled.impossible() != null) throw new BudgetException(autoscaled.impossible());
            }
        } finally {
            stop.pool = null;
            close(pool);
            sampler.close();
        }
        long t1 = System.nanoTime();
        ResourceSampler.Samples s = sampler.stop();
        List<TaskRecord> records = trace.snapshot();
        double[] queued = SubmitToStart.percentilesUs(records, 50, 99, 100);
        Trial trial = new Trial((t1 - t0) / 1e9, s.cpuNanos() / 1e9, s.peakRssBytes(), tally.ok(), tally.failed(),
                (opened - t0) / 1e9,
                queued[0], queued[1], queued[2],
                s.peakThreads(), s.peakProcesses(), warm, records, s.series(),
                budget != null ? BudgetCheck.of(budget, s.series()) : null, report, tally.failures(), withOthersCores(tally.figures(), s));
        listener.runFinished(label, trial);
        return trial;
    }
}
