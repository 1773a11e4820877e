package io.railyard.loop;

import io.railyard.core.BlockingTask;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFuture;
import io.railyard.core.autoscale.AutoscaleOptions;
import io.railyard.core.autoscale.AutoscaledPool;
import io.railyard.core.autoscale.Budget;
import io.railyard.core.autoscale.ScalingDecision;
import io.railyard.core.autoscale.ScalingDecision.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The loop's lag as the autoscaler's signal, with the loop really blocked: the pool reports how late
 * its loop runs ({@link io.railyard.core.LagReporting}), and an autoscaled loop climbs under light
 * asynchronous load and backs off once tasks block the loop.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class AutoscaledLoopTest {

    @Test
    void theLoopsLagIsReadableWhileTheLoopIsBlocked() throws Exception {
        try (LoopPool pool = new LoopPool(PoolSpec.of(2))) {
            assertTrue(pool.lagNanos() < TimeUnit.MILLISECONDS.toNanos(50), "an idle loop keeps up");
            TaskFuture<String> stuck = pool.submit(() -> LoopMonitorTest.stuckInSleep(400));
            long most = 0;
            while (!stuck.isDone()) {
                most = Math.max(most, pool.lagNanos());
                Thread.sleep(5);
            }
            assertTrue(most >= TimeUnit.MILLISECONDS.toNanos(200), "lag seen while blocked: " + most / 1e6 + " ms");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pool.lagNanos() >= TimeUnit.MILLISECONDS.toNanos(50) && System.nanoTime() < deadline) Thread.sleep(10);
            assertTrue(pool.lagNanos() < TimeUnit.MILLISECONDS.toNanos(50), "and keeps up again after");
        }
    }

    /** Submits from a feeder loop, at most {@code window} unfinished, until {@code until} holds or {@code seconds} pass. */
    static List<ScalingDecision> feed(AutoscaledPool pool, Runnable submitOne, Semaphore window, Predicate<List<ScalingDecision>> until,
                                      double seconds) throws InterruptedException {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < deadline && !until.test(pool.decisions())) {
            if (window.tryAcquire(10, TimeUnit.MILLISECONDS)) submitOne.run();
        }
        return pool.decisions();
    }

    @Test
    void anAutoscaledLoopClimbsUnderLightLoadAndBacksOffWhenItsLoopLags() throws Exception {
        Budget budget = new Budget(1L << 40, Runtime.getRuntime().availableProcessors(), 64, 0);
        AutoscaledPool pool = AutoscaledPool.open("loop", PoolSpec.of(64), budget, AutoscaleOptions.DEFAULT);
        try {
            Semaphore window = new Semaphore(128);
            // light: each task waits 20 ms on the loop's timer, the loop itself stays free
            List<ScalingDecision> up = feed(pool, () -> pool.submitAsync(ctx -> ctx.facility(LoopTimers.class).sleep(Duration.ofMillis(20))
                    .thenApply(x -> 1)).whenComplete((v, e) -> window.release()), window,
                    d -> d.stream().anyMatch(x -> x.to() >= 16), 30);
            assertTrue(up.stream().anyMatch(x -> x.reason() == Reason.SCALE_UP && x.to() >= 16), "climbed: " + up);
            assertTrue(up.stream().noneMatch(x -> x.reason() == Reason.LOOP_LAG), up.toString());
            int before = up.size();
            // heavy: each task blocks the loop thread for 20 ms; a dozen in flight hold it for a quarter second
            BlockingTask<Integer> blocking = () -> {
                Thread.sleep(20);
                return 2;
            };
            List<ScalingDecision> all = feed(pool, () -> pool.submit(blocking).whenComplete((v, e) -> window.release()), window,
                    d -> d.subList(before, d.size()).stream().anyMatch(x -> x.reason() == Reason.LOOP_LAG), 30);
            ScalingDecision lag = all.subList(before, all.size()).stream().filter(x -> x.reason() == Reason.LOOP_LAG).findFirst()
                    .orElseThrow(() -> new AssertionError("no back-off while the loop lagged: " + all));
            assertTrue(lag.down() && lag.lagMs() > 50, lag.toString());
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(Duration.ofSeconds(30)));
        }
    }
}
