package io.railyard.core.autoscale;

import io.railyard.core.BlockingTask;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFuture;
import io.railyard.core.autoscale.ScalingDecision.Reason;
import io.railyard.core.threads.ThreadsPool;
import io.railyard.core.time.ManualTimeSource;
import io.railyard.core.trace.TraceRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The pool's mechanics — gate, memory stop, rate budget, report — over a real threads pool, with
 * time and readings in the test's hands: a {@link ManualTimeSource} (ticks run when the test
 * advances it) and a scripted {@link LoadSource}. No sleep decides anything; the test only waits,
 * bounded, for threads to pick up what the gate handed them.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AutoscaledPoolTest {

    static final long MIB = 1L << 20;

    final ManualTimeSource clock = new ManualTimeSource();
    final AtomicReference<LoadReading> load = new AtomicReference<>(LoadReading.of(100 * MIB, 0));
    final AtomicInteger started = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);
    final List<AutoscaledPool> pools = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        release.countDown();
        for (AutoscaledPool p : pools) {
            p.shutdownNow();
            assertTrue(p.awaitTermination(Duration.ofSeconds(30)));
        }
    }

    AutoscaledPool open(Budget budget, AutoscaleOptions options) {
        PoolSpec spec = PoolSpec.of(budget.maxConcurrency()).withTime(clock);
        AutoscaledPool p = new AutoscaledPool(new ThreadsPool(spec.withTime(io.railyard.core.time.TimeSource.system())
                .withTrace(TraceRecorder.disabled())), spec, budget, options.withLoad(load::get));
        pools.add(p);
        return p;
    }

    /** A task that counts its start and waits for the test's release (or an interrupt). */
    BlockingTask<String> gated() {
        return () -> {
            started.incrementAndGet();
            release.await();
            return "done";
        };
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + what);
            Thread.sleep(1);
        }
    }

    void advance(double seconds) {
        clock.advance(Duration.ofNanos((long) (seconds * 1e9)));
    }

    @Test
    void theGateHandsTheModelAtMostTheLimitAndRampsMultiplicatively() throws Exception {
        AutoscaledPool pool = open(new Budget(1L << 40, 64, 32, 0), AutoscaleOptions.DEFAULT);
        for (int i = 0; i < 50; i++) pool.submit(gated());
        await(() -> started.get() == 1, "the first task");
        assertEquals(1, pool.limit());
        // every decision period a saturated pool with idle signals steps up: x4 far from every limit,
        // but only x2 until memory per task has been measured over a period
        int[] expected = {2, 4, 16, 32, 32};
        for (int want : expected) {
            advance(0.25);
            assertEquals(want, pool.limit(), pool.decisions().toString());
            await(() -> started.get() == want, want + " started");
            assertEquals(want, pool.inFlight());
        }
        assertEquals(4, pool.decisions().size());
        assertTrue(pool.decisions().stream().allMatch(d -> d.reason() == Reason.SCALE_UP));
        release.countDown();
        pool.close();
        assertEquals(50, started.get());
    }

    @Test
    void memoryWithNoRoomLowersTheLimitBeforeTheBudgetAndAdmitsNothingMore() throws Exception {
        Budget budget = new Budget(400 * MIB, 64, 16, 0);
        AutoscaledPool pool = open(budget, AutoscaleOptions.DEFAULT);
        for (int i = 0; i < 40; i++) pool.submit(gated());
        await(() -> started.get() == 1, "the first task");
        // each running task shows 10 MiB more
        while (pool.limit() < 8) {
            load.set(LoadReading.of(100 * MIB + 10 * MIB * pool.inFlight(), 0));
            advance(0.05);
            int limit = pool.limit();
            await(() -> started.get() == limit, limit + " started");
        }
        assertEquals(pool.limit(), pool.inFlight());
        // another process in the tree grows by 20 MiB per sample: the gate's projection (8 tasks of
        // 10 MiB each, not yet finished so taken as still growing) stops fitting long before the budget
        long other = 0;
        while (pool.decisions().stream().noneMatch(d -> d.reason() == Reason.MEMORY) && other < 300 * MIB) {
            other += 20 * MIB;
            load.set(LoadReading.of(100 * MIB + other + 10 * MIB * pool.inFlight(), 0));
            advance(0.05);
        }
        ScalingDecision memory = pool.decisions().get(pool.decisions().size() - 1);
        assertEquals(Reason.MEMORY, memory.reason(), pool.decisions().toString());
        assertTrue(memory.down() && memory.rssBytes() < budget.maxMemoryBytes() - 80 * MIB, memory.toString());
        int limit = pool.limit();
        int running = pool.inFlight();
        assertTrue(limit < running, "limit " + limit + " with " + running + " running");
        advance(2); // the gate hands out nothing until tasks finish and memory allows
        assertEquals(running, started.get(), "no task admitted while memory has no room");
        assertEquals(running, pool.inFlight());
        assertTrue(pool.decisions().stream().noneMatch(d -> d.reason() == Reason.MEMORY_STOP), "no task stopped: memory stopped growing");
    }

    @Test
    void theYoungestTaskIsStoppedWhenMemoryKeepsGrowingIntoTheMargin() throws Exception {
        Budget budget = new Budget(400 * MIB, 64, 4, 0);
        AutoscaledPool pool = open(budget, AutoscaleOptions.DEFAULT);
        List<TaskFuture<String>> fs = new ArrayList<>();
        AtomicInteger interrupted = new AtomicInteger();
        for (int i = 0; i < 4; i++) {
            fs.add(pool.submit(() -> {
                started.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    throw e;
                }
                return "done";
            }));
        }
        while (pool.limit() < 4) {
            int limit = pool.limit();
            await(() -> started.get() == limit, limit + " started");
            advance(0.25);
        }
        await(() -> started.get() == 4, "4 started");
        // a task allocates on and on: 30 MiB per sample, up into the margin
        long rss = 300 * MIB;
        for (int i = 0; i < 6 && pool.decisions().stream().noneMatch(d -> d.reason() == Reason.MEMORY_STOP); i++) {
            rss += 30 * MIB;
            load.set(LoadReading.of(rss, 0));
            advance(0.05);
        }
        ScalingDecision stop = pool.decisions().stream().filter(d -> d.reason() == Reason.MEMORY_STOP).findFirst()
                .orElseThrow(() -> new AssertionError(pool.decisions()));
        assertTrue(stop.rssBytes() <= budget.maxMemoryBytes(), "stopped before the budget: " + stop);
        // tasks 2 and 3 started together, last: one of them is the youngest
        await(() -> fs.get(2).isDone() || fs.get(3).isDone(), "the youngest task stopped");
        TaskFuture<String> victim = fs.get(2).isDone() ? fs.get(2) : fs.get(3);
        ExecutionException e = assertThrows(ExecutionException.class, victim::get);
        assertInstanceOf(OverBudgetException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("keep memory under the budget"), e.getCause().getMessage());
        await(() -> interrupted.get() >= 1, "the stopped task interrupted");
        assertEquals(1, pool.report().stoppedTasks());
        assertFalse(fs.get(0).isDone() || fs.get(1).isDone(), "the older tasks run on");
    }

    @Test
    void theTasksPerMinuteBudgetHoldsStartsBackUntilTheMinuteHasPassed() throws Exception {
        AutoscaledPool pool = open(new Budget(1L << 40, 64, 8, 3), AutoscaleOptions.DEFAULT);
        List<TaskFuture<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 5; i++) fs.add(pool.submit(started::incrementAndGet));
        // at a concurrency of 1 each start follows the previous task's end; the clock stands at 0
        await(() -> fs.stream().filter(TaskFuture::isDone).count() == 3, "3 done");
        for (int i = 0; i < 20; i++) advance(0.25); // it ramps, but no more may start within the minute
        assertEquals(3, started.get());
        advance(54.9);
        assertEquals(3, started.get(), "still inside the first minute");
        advance(0.2);
        await(() -> started.get() == 5, "the rest after a minute");
    }

    @Test
    void aBudgetAlreadyExceededAtOpenIsRefusedInOneLine() {
        load.set(LoadReading.of(500 * MIB, 0));
        BudgetException e = assertThrows(BudgetException.class, () -> open(new Budget(400 * MIB, 1, 4, 0), AutoscaleOptions.DEFAULT));
        assertEquals("the memory budget of 400 MiB is already exceeded: this process tree uses 500 MiB: give a larger budget", e.getMessage());
    }

    @Test
    void crawleeModeStartsAtOneAndAddsOneAfterTenSeconds() throws Exception {
        AutoscaledPool pool = open(new Budget(1L << 40, 64, 8, 0), AutoscaleOptions.DEFAULT.withMode(AutoscaleOptions.Mode.CRAWLEE));
        for (int i = 0; i < 10; i++) pool.submit(gated());
        await(() -> started.get() == 1, "the first task");
        advance(9.9);
        assertEquals(1, pool.desiredConcurrency());
        advance(0.2);
        assertEquals(2, pool.desiredConcurrency());
        await(() -> started.get() == 2, "2 started");
        assertEquals("crawlee", pool.report().mode());
    }

    @Test
    void theReportKeepsEveryDecisionAndOnePointPerSample() throws Exception {
        AutoscaledPool pool = open(new Budget(1L << 40, 64, 4, 0), AutoscaleOptions.DEFAULT);
        for (int i = 0; i < 10; i++) pool.submit(gated());
        await(() -> started.get() == 1, "the first task");
        for (int i = 0; i < 40; i++) advance(0.05);
        AutoscaleReport r = pool.report();
        assertEquals(41, r.series().size(), "the sample at open and one per 50 ms");
        assertEquals(2, r.decisions().size(), r.decisions().toString()); // 1 -> 2 -> 4
        assertEquals(4, r.finalDesired());
        assertEquals(1L << 40, r.memoryBudgetBytes());
        assertEquals(0, r.samplesOverBudget());
        SeriesPoint last = r.series().get(r.series().size() - 1);
        assertEquals(2.0, last.tS(), 1e-9);
        assertEquals(4, last.desired());
        assertEquals(100 * MIB, last.rssBytes());
        assertEquals(-1, last.workers());
        assertEquals(r.decisions().get(1).atS(), r.steadyAfterS(), 0.051, "steady since the last step up");
    }

    @Test
    void reportedAnswersFeedTheClientSignal() throws Exception {
        AutoscaledPool pool = open(new Budget(1L << 40, 64, 8, 0), AutoscaleOptions.DEFAULT);
        for (int i = 0; i < 20; i++) pool.submit(gated());
        await(() -> started.get() == 1, "the first task");
        advance(0.25);
        await(() -> started.get() == 2, "2 started");
        advance(0.25);
        assertEquals(4, pool.desiredConcurrency());
        for (int i = 0; i < 30; i++) pool.reportResponse(i % 3 == 0 ? 200 : 429);
        advance(0.25);
        ScalingDecision d = pool.decisions().get(pool.decisions().size() - 1);
        assertEquals(Reason.CLIENT, d.reason(), pool.decisions().toString());
        assertEquals(0.67, d.clientOverloadShare(), 0.01);
        assertTrue(d.down());
    }
}
