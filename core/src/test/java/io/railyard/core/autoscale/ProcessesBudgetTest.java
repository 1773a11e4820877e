package io.railyard.core.autoscale;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFuture;
import io.railyard.core.autoscale.ScalingDecision.Reason;
import io.railyard.core.autoscale.jobs.MemoryJobs;
import io.railyard.core.autoscale.jobs.MemoryJobs.Grow;
import io.railyard.core.autoscale.jobs.MemoryJobs.Hold;
import io.railyard.core.probe.ProcessTreeProbe;
import io.railyard.core.probe.ResourceSampler;
import io.railyard.core.processes.ProcessPool;
import io.railyard.core.processes.ProcessPoolOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The memory budget on real worker processes, over whole runs, with the tree's RSS sampled every
 * 10 ms by a sampler of the test's own (not the autoscaler's): workers start only when one fits,
 * and memory growing inside the workers is met before the limit, never after.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ProcessesBudgetTest {

    static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    private final List<AutoscaledPool> pools = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        Files.writeString(dir.resolve("stop"), "");
        for (AutoscaledPool p : pools) {
            p.shutdownNow();
            assertTrue(p.awaitTermination(Duration.ofSeconds(30)));
        }
    }

    /**
     * Worker heaps: fixed, so that a worker's size does not depend on the budget the test derives
     * from it; for growing tasks, room to cross the budget if nothing stopped them (a small start,
     * so that a worker is only as big as what its tasks hold).
     */
    static final String WORKER_HEAP = "-Xmx96m", GROWING_HEAP = "-Xms16m -Xmx1g";

    AutoscaledPool open(Budget budget, String workerHeap) {
        PoolSpec spec = PoolSpec.of(budget.maxConcurrency()).withOptions(Map.of("allow", MemoryJobs.ALLOW, "jvmArgs", workerHeap));
        AutoscaledPool p = AutoscaledPool.open("processes", spec, budget, AutoscaleOptions.DEFAULT);
        pools.add(p);
        return p;
    }

    /** What one worker JVM with {@code heap} costs once it has run tasks holding {@code mib}, measured on a real one. */
    static long workerBytes(int mib, String heap) throws Exception {
        ProcessPool probe = new ProcessPool(PoolSpec.of(1), ProcessPoolOptions.DEFAULT.withAllow(List.of(MemoryJobs.ALLOW))
                .withJvmArgs(List.of(heap.split(" "))));
        try {
            long most = 0;
            for (int i = 0; i < 20; i++) {
                long pid = probe.submit(new Hold(mib, 0)).get(60, TimeUnit.SECONDS);
                most = Math.max(most, ProcessTreeProbe.rssBytes(pid));
            }
            return most;
        } finally {
            probe.close();
        }
    }

    /** Submits {@code task} over and over, at most {@code window} unfinished, for {@code seconds} or until {@code stop}. */
    static int feed(AutoscaledPool pool, io.railyard.core.BlockingTask<?> task, int window, double seconds,
                    java.util.function.BooleanSupplier stop) throws InterruptedException {
        Semaphore open = new Semaphore(window);
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        int submitted = 0;
        while (System.nanoTime() < deadline && !stop.getAsBoolean()) {
            if (!open.tryAcquire(10, TimeUnit.MILLISECONDS)) continue;
            TaskFuture<?> f = pool.submit(task);
            f.whenComplete((v, e) -> open.release());
            submitted++;
        }
        return submitted;
    }

    @Test
    void processesNeverExceedABudgetThatFitsOnlySomeWorkers() throws Exception {
        long base = ProcessTreeProbe.rssBytes();
        long worker = workerBytes(32, WORKER_HEAP);
        // room for three workers beyond this JVM: two fit with the margin (a worker's rise in one
        // sample: a task's 32 MiB) and room for this JVM to grow, three never do; six are allowed
        Budget budget = new Budget(base + 3 * worker, Runtime.getRuntime().availableProcessors(), 6, 0);
        ResourceSampler sampler = new ResourceSampler(Duration.ofMillis(10)).start();
        AutoscaledPool pool = open(budget, WORKER_HEAP);
        feed(pool, new Hold(32, 100), 12, 10, () -> false);
        pool.close();
        ResourceSampler.Samples s = sampler.stop();
        AutoscaleReport r = pool.report();
        int mostWorkers = r.series().stream().mapToInt(SeriesPoint::workers).max().orElse(0);
        assertTrue(s.peakRssBytes() <= budget.maxMemoryBytes(), "peak " + s.peakRssBytes() / MIB + " MiB over the budget of "
                + budget.maxMemoryBytes() / MIB + " MiB (worker " + worker / MIB + " MiB): " + r.decisions());
        assertEquals(0, r.samplesOverBudget());
        assertTrue(mostWorkers <= 2, "at most two workers fit, " + mostWorkers + " ran: " + r.decisions());
        assertTrue(r.decisions().stream().anyMatch(d -> d.reason() == Reason.SCALE_UP), "it did scale: " + r.decisions());
    }

    @Test
    void workersAllocatingUntilToldToStopAreScaledDownBeforeTheLimitAndStoppedRatherThanCrossIt() throws Exception {
        long base = ProcessTreeProbe.rssBytes();
        long worker = workerBytes(0, GROWING_HEAP);
        Budget budget = new Budget(base + 4 * worker + 200 * MIB, Runtime.getRuntime().availableProcessors(), 4, 0);
        ResourceSampler sampler = new ResourceSampler(Duration.ofMillis(10)).start();
        AutoscaledPool pool = open(budget, GROWING_HEAP);
        Path stop = dir.resolve("stop");
        // short tasks first (allocating nothing: a heap of 1 GB would fill with their garbage before
        // collecting it), so that the pool learns what a worker costs and starts all four
        feed(pool, new Hold(0, 50), 8, 30, () -> pool.report().series().stream().anyMatch(p -> p.workers() == 4));
        while (pool.inFlight() > 0) Thread.sleep(5);
        int before = pool.decisions().size();
        List<TaskFuture<Integer>> growing = new ArrayList<>();
        // then four tasks, each growing by 1 MiB every 20 ms (50 MiB/s per worker) until told to stop;
        // they are not told until a task had to be stopped: the pool must hold the line by itself
        for (int i = 0; i < 4; i++) growing.add(pool.submit(new Grow(dir.toString(), 1, 20)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // until a stop was decided and carried out (the decision is logged a moment before its task is
        // stopped; a growing task ends only when stopped, until the file below tells them all to end)
        while ((pool.decisions().stream().noneMatch(d -> d.reason() == Reason.MEMORY_STOP) || growing.stream().noneMatch(TaskFuture::isDone))
                && System.nanoTime() < deadline)
            Thread.sleep(5);
        Files.writeString(stop, "");
        pool.close();
        ResourceSampler.Samples s = sampler.stop();
        List<ScalingDecision> all = pool.decisions(), d = all.subList(before, all.size());
        assertTrue(all.stream().anyMatch(x -> x.to() == 4), "four workers before the growing tasks: " + all);
        ScalingDecision first = d.stream().filter(x -> x.reason() == Reason.MEMORY || x.reason() == Reason.MEMORY_STOP)
                .findFirst().orElseThrow(() -> new AssertionError("memory never met: " + all));
        assertTrue(first.down() && first.rssBytes() < budget.maxMemoryBytes(), "decided before the limit: " + first);
        assertTrue(d.stream().anyMatch(x -> x.reason() == Reason.MEMORY_STOP), "no task stopped: " + d);
        assertTrue(s.peakRssBytes() <= budget.maxMemoryBytes(), "peak " + s.peakRssBytes() / MIB + " MiB over the budget of "
                + budget.maxMemoryBytes() / MIB + " MiB: " + d);
        long stopped = growing.stream().filter(f -> f.isCompletedExceptionally()
                && f.exceptionNow() instanceof OverBudgetException).count();
        assertTrue(stopped >= 1, "a stopped task fails with OverBudgetException");
        assertEquals(stopped, pool.report().stoppedTasks());
    }
}
