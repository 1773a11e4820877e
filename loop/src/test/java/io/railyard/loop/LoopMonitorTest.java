package io.railyard.loop;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The loop's failure mode made visible: a task that really blocks the loop thread is reported with
 * its duration and the stack it was stuck in, the lag probe sees the loop stall, and the task still
 * completes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopMonitorTest {

    /** Blocks the calling thread in a method whose name the stack must show. */
    static String stuckInSleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return "woke";
    }

    @Test
    void aBlockingTaskCompletesAndIsReportedWithItsStack() throws Exception {
        try (LoopPool pool = new LoopPool(PoolSpec.of(4).withOptions(Map.of("loop.slowCallbackMs", "100")))) {
            assertFalse(pool.report().blocked());
            TaskFuture<String> blocking = pool.submit(() -> stuckInSleep(400));
            assertEquals("woke", blocking.get(30, TimeUnit.SECONDS));

            LoopReport report = pool.report();
            assertTrue(report.blocked(), report.toString());
            assertEquals(1, report.slowCallbacks());
            LoopMonitor.SlowCallback worst = report.worst();
            assertTrue(worst.nanos() >= TimeUnit.MILLISECONDS.toNanos(390), worst.toString());
            assertTrue(worst.what().contains("task " + blocking.taskId()) && worst.what().contains("blocking"), worst.what());
            assertTrue(worst.stack().stream().anyMatch(e -> e.getMethodName().equals("stuckInSleep")),
                    "the stack sampled while stuck shows where: " + worst);
            assertTrue(report.toString().contains("BLOCKED"), report.toString());
            // the lag probe could not run while the loop was stuck: its next run is late by most of the block
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pool.monitor().lag().maxNanos() < TimeUnit.MILLISECONDS.toNanos(200) && System.nanoTime() < deadline)
                Thread.sleep(10);
            assertTrue(pool.monitor().lag().maxNanos() >= TimeUnit.MILLISECONDS.toNanos(200), pool.monitor().lag().toString());
        }
    }

    @Test
    void aBlockingContinuationOfAnAsyncTaskIsReportedToo() throws Exception {
        try (LoopPool pool = new LoopPool(PoolSpec.of(4).withOptions(Map.of("loop.slowCallbackMs", "100")))) {
            String v = pool.submitAsync(ctx -> ctx.facility(LoopTimers.class).sleep(Duration.ofMillis(5))
                    .thenApply(x -> {
                        try {
                            return stuckInSleep(300);
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    })).get(30, TimeUnit.SECONDS);
            assertEquals("woke", v);
            assertEquals(1, pool.report().slowCallbacks());
            assertTrue(pool.monitor().worst().stack().stream().anyMatch(e -> e.getMethodName().equals("stuckInSleep")),
                    pool.monitor().worst().toString());
        }
    }

    @Test
    void whileOneTaskBlocksTheOthersWait() throws Exception {
        try (LoopPool pool = new LoopPool(8)) {
            long start = System.nanoTime();
            TaskFuture<String> blocker = pool.submit(() -> stuckInSleep(300));
            TaskFuture<Long> other = pool.submitAsync(ctx -> CompletableFuture.completedFuture(System.nanoTime()));
            blocker.get(30, TimeUnit.SECONDS);
            long otherRanAt = other.get(30, TimeUnit.SECONDS);
            // one thread: the second task could not start before the first gave the loop back
            assertTrue(otherRanAt - start >= TimeUnit.MILLISECONDS.toNanos(290), "ran after " + (otherRanAt - start) / 1e6 + " ms");
        }
    }

    @Test
    void cooperativeTasksDoNotTripTheDetector() throws Exception {
        // a generous threshold: a loaded CI machine may deschedule the loop thread, but not for 1 s
        try (LoopPool pool = new LoopPool(PoolSpec.of(1000).withOptions(Map.of("loop.slowCallbackMs", "1000")))) {
            List<TaskFuture<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                int n = i;
                fs.add(pool.submitAsync(ctx -> ctx.facility(LoopTimers.class).sleep(Duration.ofMillis(n % 20)).thenApply(x -> n)));
            }
            for (int i = 0; i < fs.size(); i++) assertEquals(i, fs.get(i).get(30, TimeUnit.SECONDS));
            assertFalse(pool.report().blocked(), pool.report().toString());
            assertTrue(pool.monitor().lag().samples() > 0, "the lag probe runs continuously");
        }
    }

    @Test
    void aRecursiveStackIsPrintedWithItsRepeatsCountedAndItsLengthBounded() {
        List<StackTraceElement> stack = new ArrayList<>();
        for (int i = 0; i < 40; i++) stack.add(new StackTraceElement("Work", "fib", "Work.java", 12));
        for (int i = 0; i < 30; i++) stack.add(new StackTraceElement("Caller", "step" + i, "Caller.java", i + 1));
        String text = new LoopMonitor.SlowCallback("task 1", 150_000_000L, stack).toString();
        assertEquals(1, text.split("Work.fib", -1).length - 1, text);
        assertTrue(text.contains("[the line above repeated 39 more times]"), text);
        long lines = text.lines().filter(l -> l.startsWith("\tat ")).count();
        assertEquals(LoopMonitor.SlowCallback.SHOWN_FRAMES, lines, text);
        assertTrue(text.endsWith("... " + (70 - 40 - (LoopMonitor.SlowCallback.SHOWN_FRAMES - 1)) + " more frames"), text);
        assertEquals(70, new LoopMonitor.SlowCallback("task 1", 1, stack).stack().size(), "the record keeps every frame");
    }
}
