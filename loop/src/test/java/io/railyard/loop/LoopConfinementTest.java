package io.railyard.loop;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Loop code runs on the loop thread or not at all: once the pool has terminated and its loop shut
 * down, a callback that comes late (a blocking call handed to a helper thread returning, a
 * continuation hopping to the loop) is refused, fails what it was for with a
 * {@link LoopClosedException}, and runs on no thread.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopConfinementTest {

    @Test
    void aResultArrivingAfterShutdownFailsItsFutureAndItsContinuationRunsNowhere() throws Exception {
        LoopPool pool = new LoopPool(PoolSpec.of(1));
        CountDownLatch helperMayReturn = new CountDownLatch(1);
        AtomicReference<CompletableFuture<String>> offloaded = new AtomicReference<>();
        AtomicReference<Thread> continuationRanOn = new AtomicReference<>();
        AtomicReference<Executor> loopExecutor = new AtomicReference<>();
        TaskFuture<String> task = pool.submitAsync(ctx -> {
            loopExecutor.set(ctx.executor());
            CompletableFuture<String> call = ctx.facility(LoopPrimitives.class).toThread(() -> {
                helperMayReturn.await();
                return "late";
            });
            offloaded.set(call);
            return call.thenApply(v -> {
                continuationRanOn.set(Thread.currentThread());
                return v;
            });
        });
        while (offloaded.get() == null) Thread.sleep(1);
        pool.shutdownNow(); // stops the task; the pool terminates and its loop shuts down
        assertTrue(pool.awaitTermination(Duration.ofSeconds(10)));
        assertTrue(task.isCancelled());
        waitForLoopGone(loopExecutor.get());

        helperMayReturn.countDown(); // the helper's result now comes back to a loop that is gone
        ExecutionException e = assertThrows(ExecutionException.class, () -> offloaded.get().get(10, TimeUnit.SECONDS));
        LoopClosedException closed = assertInstanceOf(LoopClosedException.class, e.getCause());
        assertTrue(closed.getMessage().contains("shut down"), closed.getMessage());
        assertNull(continuationRanOn.get(), "the task's continuation ran on " + continuationRanOn.get());
    }

    @Test
    void aContinuationHoppingToAShutLoopFailsInsteadOfRunningOnTheCallersThread() throws Exception {
        LoopPool pool = new LoopPool(PoolSpec.of(1));
        AtomicReference<Executor> loopExecutor = new AtomicReference<>();
        assertEquals(1, pool.submitAsync(ctx -> {
            loopExecutor.set(ctx.executor());
            return CompletableFuture.completedFuture(1);
        }).get());
        pool.close();
        waitForLoopGone(loopExecutor.get());

        AtomicReference<Thread> ranOn = new AtomicReference<>();
        CompletableFuture<Integer> hop = CompletableFuture.completedFuture(2).thenApplyAsync(x -> {
            ranOn.set(Thread.currentThread());
            return x;
        }, loopExecutor.get());
        CompletionException e = assertThrows(CompletionException.class, hop::join);
        assertInstanceOf(LoopClosedException.class, e.getCause());
        assertNull(ranOn.get(), "the continuation ran on " + ranOn.get());
        assertThrows(LoopClosedException.class, () -> loopExecutor.get().execute(() -> ranOn.set(Thread.currentThread())));
        assertNull(ranOn.get());
    }

    @Test
    void aLoopOperationStartedFromOutsideAfterShutdownFailsAtOnce() throws Exception {
        LoopPool pool = new LoopPool(PoolSpec.of(1));
        AtomicReference<Executor> loopExecutor = new AtomicReference<>();
        LoopTcp tcp = pool.submitAsync(ctx -> {
            loopExecutor.set(ctx.executor());
            return CompletableFuture.completedFuture(ctx.facility(LoopTcp.class));
        }).get();
        pool.close();
        waitForLoopGone(loopExecutor.get());
        CompletableFuture<TcpConnection> connect = tcp.connect("127.0.0.1", 9, Duration.ofSeconds(1));
        ExecutionException e = assertThrows(ExecutionException.class, () -> connect.get(10, TimeUnit.SECONDS));
        assertInstanceOf(LoopClosedException.class, e.getCause());
    }

    /** Waits until the loop refuses callbacks (a harmless one is offered until then). */
    private static void waitForLoopGone(Executor loop) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                loop.execute(() -> {});
            } catch (LoopClosedException gone) {
                return;
            }
            if (System.nanoTime() > deadline) fail("the loop did not shut down");
            Thread.sleep(5);
        }
    }
}
