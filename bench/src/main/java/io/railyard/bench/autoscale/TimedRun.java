package io.railyard.bench.autoscale;

import io.railyard.bench.harness.BudgetCheck;
import io.railyard.bench.harness.ResultsJson;
import io.railyard.bench.workload.CpuWorkload;
import io.railyard.bench.workload.IoWorkload;
import io.railyard.core.BlockingTask;
import io.railyard.core.Models;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFuture;
import io.railyard.core.TaskPool;
import io.railyard.core.autoscale.AutoscaleOptions;
import io.railyard.core.autoscale.AutoscaleReport;
import io.railyard.core.autoscale.AutoscaledPool;
import io.railyard.core.autoscale.Budget;
import io.railyard.core.probe.ResourceSampler;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * One benchmark run: a pool (fixed concurrency, or autoscaled) kept saturated with one kind of
 * task for a fixed wall time, from the moment the pool is opened (so a pool that starts worker
 * processes pays for them), with the process tree sampled every 20 ms against the budget. The
 * figure is throughput: tasks finished within the window per second. Comparing runs of equal
 * length is fair to every concurrency; a ramp costs what it costs.
 *
 * <p>{@link AutoscaleBenchmark} runs each one in a fresh JVM ({@link #main}), as a real run in a
 * container would be: a JVM keeps the heap an earlier run grew, so runs sharing one JVM would
 * start with each other's memory.
 *
 * <p>Not thread-safe: one run at a time (runs would disturb each other's measurements).
 */
public final class TimedRun {

    /** The result of one run. {@code autoscale} is null for fixed runs. */
    public record Result(String label, int concurrency, double seconds, long completed, long failed, double tasksPerS,
                  BudgetCheck budget, AutoscaleReport autoscale, double[] tasksPerSecondBySecond) {

        /**
         * Seconds from open until the throughput, averaged over 3 s, first reached {@code share} of
         * {@code rate} (the end of that 3 s window); -1 if never.
         */
        double reached(double share, double rate) {
            double[] t = tasksPerSecondBySecond;
            for (int i = 0; i + 3 <= t.length; i++) if ((t[i] + t[i + 1] + t[i + 2]) / 3 >= share * rate) return i + 3;
            return -1;
        }
    }

    private TimedRun() {}

    /**
     * A run in a JVM of its own: {@code WORK ARG MODEL SECONDS MEMORY_BYTES CPU_CORES MAX_CONCURRENCY
     * FIXED|railyard|crawlee LABEL}, where WORK ARG is {@code io URL} or {@code cpu K}. Prints the
     * {@link Result} as one JSON line.
     */
    public static void main(String[] args) throws Exception {
        BlockingTask<?> task = switch (args[0]) {
            case "io" -> new IoWorkload.Get(args[1]);
            case "cpu" -> new CpuWorkload.Fib(Integer.parseInt(args[1]));
            default -> throw new IllegalArgumentException("unknown work " + args[0]);
        };
        String model = args[2];
        double seconds = Double.parseDouble(args[3]);
        Budget budget = new Budget(Long.parseLong(args[4]), Double.parseDouble(args[5]), Integer.parseInt(args[6]), 0);
        String how = args[7];
        Result r = how.matches("[0-9]+") ? run(args[8], model, task, budget, Integer.parseInt(how), null, seconds)
                : run(args[8], model, task, budget, 0, AutoscaleOptions.DEFAULT.withMode(AutoscaleOptions.Mode.parse(how)), seconds);
        System.out.println(ResultsJson.toLine(r));
        System.exit(0); // a task stuck in a worker must not keep this JVM
    }

    /**
     * Runs {@code task} on {@code model} for {@code seconds}: at {@code fixed} concurrency when
     * {@code options} is null, else autoscaled inside {@code budget}.
     */
    static Result run(String label, String model, BlockingTask<?> task, Budget budget, int fixed, AutoscaleOptions options,
                      double seconds) throws Exception {
        int window = 2 * (options == null ? fixed : budget.maxConcurrency());
        Semaphore inFlight = new Semaphore(window);
        LongAdder done = new LongAdder(), failed = new LongAdder();
        AtomicLongArray perSecond = new AtomicLongArray((int) Math.ceil(seconds));
        ResourceSampler sampler = ResourceSampler.every20ms().start();
        long start = System.nanoTime(), deadline = start + (long) (seconds * 1e9);
        AutoscaleReport report = null;
        // fixed pools get the worker JVM flags the autoscaler gives its workers (sized for the
        // budget), so that both are compared with the same workers
        TaskPool pool = options == null
                ? Models.open(model, PoolSpec.of(fixed).withOptions(Models.get(model).optionsWithinMemory(budget.maxMemoryBytes(), Map.of())))
                : AutoscaledPool.open(model, PoolSpec.of(budget.maxConcurrency()), budget, options);
        try {
            while (System.nanoTime() < deadline) {
                if (!inFlight.tryAcquire(5, TimeUnit.MILLISECONDS)) continue;
                TaskFuture<?> f = pool.submit(task);
                f.whenComplete((v, e) -> {
                    long now = System.nanoTime();
                    if (now <= deadline) {
                        if (e == null) {
                            done.increment();
                            int s = (int) ((now - start) / 1_000_000_000L);
                            if (s < perSecond.length()) perSecond.incrementAndGet(s);
                        } else {
                            failed.increment();
                        }
                    }
                    inFlight.release();
                });
            }
            report = pool.capability(AutoscaledPool.class).map(AutoscaledPool::report).orElse(null);
        } finally {
            pool.shutdownNow();
            pool.awaitTermination(Duration.ofSeconds(30));
            sampler.close();
        }
        ResourceSampler.Samples s = sampler.stop();
        // judge the budget over the window only: what the pool does after it (draining, killing) is not the run
        var within = s.series().stream().filter(x -> x.elapsedNanos() <= (long) (seconds * 1e9)).toList();
        double[] bySecond = new double[perSecond.length()];
        for (int i = 0; i < bySecond.length; i++) bySecond[i] = perSecond.get(i);
        return new Result(label, options == null ? fixed : budget.maxConcurrency(), seconds, done.sum(), failed.sum(),
                done.sum() / seconds, BudgetCheck.of(budget, within), report, bySecond);
    }
}
