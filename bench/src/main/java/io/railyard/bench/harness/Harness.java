package io.railyard.bench.harness;

import io.railyard.bench.workload.Workload;
import io.railyard.core.Models;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.core.autoscale.AutoscaleOptions;
import io.railyard.core.autoscale.AutoscaleReport;
import io.railyard.core.autoscale.AutoscaledPool;
import io.railyard.core.autoscale.Budget;
import io.railyard.core.probe.RemoteResources;
import io.railyard.core.probe.ResourceSampler;
import io.railyard.core.trace.TaskRecord;
import io.railyard.core.trace.TraceRecorder;
import org.HdrHistogram.Histogram;

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

        default void taskDone(long done, long failed) {}

        default void runFinished(String label, Trial trial) {}
    }

    private static final int TRACE_CAPACITY = 1_000_000;

    private final Map<String, String> modelOptions;
    private final Listener listener;
    private final Budget budget;
    private final AutoscaleOptions autoscale;

    public Harness(Map<String, String> modelOptions, Listener listener) {
        this(modelOptions, listener, null, null);
    }

    private Harness(Map<String, String> modelOptions, Listener listener, Budget budget, AutoscaleOptions autoscale) {
        this.modelOptions = modelOptions;
        this.listener = listener;
        this.budget = budget;
        this.autoscale = autoscale;
    }

    /**
     * A harness whose trials are judged against {@code budget} (each trial gets a {@link BudgetCheck})
     * and, with {@code autoscale} given, run on an {@link AutoscaledPool} that keeps the budget
     * (each trial gets its {@link AutoscaleReport}); with {@code autoscale} null the concurrency stays fixed.
     */
    public Harness withBudget(Budget budget, AutoscaleOptions autoscale) {
        return new Harness(modelOptions, listener, budget, autoscale);
    }

    public RunResult run(Workload work, String model, int concurrency, int warmup, int trials) throws Exception {
        Models.get(model); // fail fast on an unknown model, before any work
        if (!work.supports(model)) throw new IllegalArgumentException(work.unsupportedReason(model));
        work.prepare(); // servers start and calibrations happen here, outside every trial
        double limit = work.limitSeconds(concurrency);
        long treePeak = 0;
        for (int i = 0; i < warmup; i++)
            treePeak = Math.max(treePeak, trial(work, model, concurrency, "warm-up " + (i + 1) + "/" + warmup, true).peakRssBytes());
        List<Trial> counted = new ArrayList<>();
        for (int i = 0; i < trials; i++)
            counted.add(trial(work, model, concurrency, "trial " + (i + 1) + "/" + trials, warmup > 0 || i > 0));
        for (Trial t : counted) treePeak = Math.max(treePeak, t.peakRssBytes());
        double wall = Stats.median(counted, Trial::wallS);
        ProcessFigures process = ProcessFigures.now(treePeak);
        return new RunResult(work.name(), model, work.tasks(), concurrency,
                wall, Stats.median(counted, Trial::cpuS), (long) Stats.median(counted, Trial::peakRssBytes), limit,
                (long) Stats.median(counted, Trial::ok), (long) Stats.median(counted, Trial::failed),
                Stats.median(counted, Trial::coresUsed), wall / limit, Stats.median(counted, Trial::startupS),
                Stats.median(counted, Trial::queuedP50Us), Stats.median(counted, Trial::queuedP99Us),
                warmup == 0 && trials == 1 ? "cold" : "warm", warmup, work.parameters(), counted,
                process.wallS(), process.cpuS(), process.peakRssBytes());
    }

    private Trial trial(Workload work, String model, int concurrency, String label, boolean warm) throws Exception {
        listener.runStarted(label, work.tasks());
        TraceRecorder trace = new TraceRecorder((int) Math.min(work.tasks() * 2, TRACE_CAPACITY));
        PoolSpec spec = PoolSpec.of(concurrency).withTrace(trace).withOptions(modelOptions);
        ResourceSampler sampler = ResourceSampler.every20ms().start();
        Workload.Tally tally;
        AutoscaleReport report = null;
        long t0 = System.nanoTime(), opened;
        try (TaskPool pool = autoscale != null ? AutoscaledPool.open(model, spec, budget, autoscale) : Models.open(model, spec)) {
            opened = System.nanoTime();
            // work on cluster members reached as a client runs outside this tree: count it too
            pool.capability(RemoteResources.class).ifPresent(sampler::attachRemote);
            tally = work.runOnce(pool, listener::taskDone);
            sampler.detachRemote(); // the last reading, while the members still answer this pool
            pool.close();
            report = pool.capability(AutoscaledPool.class).map(AutoscaledPool::report).orElse(null);
        } finally {
            sampler.close();
        }
        long t1 = System.nanoTime();
        ResourceSampler.Samples s = sampler.stop();
        List<TaskRecord> records = trace.snapshot();
        Histogram queued = new Histogram(3);
        for (TaskRecord r : records) if (r.startNanos() >= 0) queued.recordValue(Math.max(0, r.queuedNanos() / 1000));
        int peakThreads = s.series().stream().mapToInt(ResourceSampler.Sample::threads).max().orElse(0);
        int peakProcesses = s.series().stream().mapToInt(ResourceSampler.Sample::processes).max().orElse(1);
        Trial trial = new Trial((t1 - t0) / 1e9, s.cpuNanos() / 1e9, s.peakRssBytes(), tally.ok(), tally.failed(),
                (opened - t0) / 1e9,
                queued.getValueAtPercentile(50), queued.getValueAtPercentile(99), queued.getMaxValue(),
                peakThreads, peakProcesses, warm, records, s.series(),
                budget != null ? BudgetCheck.of(budget, s.series()) : null, report);
        listener.runFinished(label, trial);
        return trial;
    }
}
