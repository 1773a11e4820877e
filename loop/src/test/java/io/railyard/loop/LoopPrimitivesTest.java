package io.railyard.loop;

import io.railyard.core.AsyncTask;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The async primitives wait by returning futures, never by holding the loop thread: every
 * continuation is asserted to run on the loop thread, other tasks keep running while some wait,
 * and the monitor (threshold 200 ms) sees no slow callback.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopPrimitivesTest {

    private LoopPool pool;
    private Thread loopThread;
    /** Threads on which continuations ran, other than the loop thread. */
    private final List<String> offLoop = new CopyOnWriteArrayList<>();

    @BeforeEach
    void open() throws Exception {
        pool = new LoopPool(PoolSpec.of(10_000).withOptions(Map.of("loop.slowCallbackMs", "200")));
        loopThread = pool.submitAsync(ctx -> CompletableFuture.completedFuture(Thread.currentThread())).get();
    }

    @AfterEach
    void close() {
        pool.close();
        assertEquals(List.of(), offLoop, "continuations that ran off the loop thread");
        assertFalse(pool.report().blocked(), "a primitive blocked the loop: " + pool.report());
    }

    private void onLoop() {
        if (Thread.currentThread() != loopThread) offLoop.add(Thread.currentThread().getName());
    }

    private <T> T run(AsyncTask<T> task) throws Exception {
        return pool.submitAsync(task).get(30, TimeUnit.SECONDS);
    }

    @Test
    void semaphoreBoundsConcurrencyWithoutBlocking() throws Exception {
        AsyncSemaphore sem = run(ctx -> CompletableFuture.completedFuture(ctx.facility(LoopPrimitives.class).semaphore(2)));
        AtomicInteger inside = new AtomicInteger(), maxInside = new AtomicInteger();
        List<TaskFuture<Void>> fs = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            fs.add(pool.submitAsync(ctx -> sem.acquire().thenCompose(x -> {
                onLoop();
                maxInside.accumulateAndGet(inside.incrementAndGet(), Math::max);
                return ctx.facility(LoopTimers.class).sleep(Duration.ofMillis(2));
            }).thenRun(() -> {
                onLoop();
                inside.decrementAndGet();
                sem.release();
            })));
        }
        // while 38 tasks wait for a permit, the loop still runs an unrelated task at once
        assertEquals("free", run(ctx -> CompletableFuture.completedFuture("free")));
        for (TaskFuture<Void> f : fs) f.get(30, TimeUnit.SECONDS);
        assertEquals(2, maxInside.get());
        assertEquals(2, (int) run(ctx -> CompletableFuture.completedFuture(sem.availablePermits())));
    }

    @Test
    void tenThousandChainedHandOffsDoNotOverflowTheStack() throws Exception {
        int n = 10_000;
        Integer done = run(ctx -> {
            AsyncSemaphore sem = ctx.facility(LoopPrimitives.class).semaphore(1);
            List<CompletableFuture<Void>> all = new ArrayList<>();
            AtomicInteger count = new AtomicInteger();
            for (int i = 0; i < n; i++) all.add(sem.acquire().thenRun(() -> {
                onLoop();
                count.incrementAndGet();
                sem.release();
            }));
            return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(x -> count.get());
        });
        assertEquals(n, done);
    }

    @Test
    void aCancelledWaiterDoesNotSwallowAPermit() throws Exception {
        boolean permitWentToTheLiveWaiter = run(ctx -> {
            AsyncSemaphore sem = ctx.facility(LoopPrimitives.class).semaphore(1);
            sem.acquire();
            CompletableFuture<Void> cancelled = sem.acquire();
            CompletableFuture<Void> next = sem.acquire();
            cancelled.cancel(false);
            sem.release();
            return next.thenApply(x -> {
                onLoop();
                return !sem.tryAcquire();
            });
        });
        assertTrue(permitWentToTheLiveWaiter);
    }

    @Test
    void boundedQueueHandsItemsOverInOrder() throws Exception {
        List<Integer> got = run(ctx -> {
            AsyncQueue<Integer> q = ctx.facility(LoopPrimitives.class).queue(2);
            LoopTimers timers = ctx.facility(LoopTimers.class);
            List<Integer> out = new ArrayList<>();
            // a fast producer against a slow consumer: put must wait for room
            CompletableFuture<Void> producer = CompletableFuture.completedFuture(null);
            boolean[] sawFull = {false};
            for (int i = 0; i < 50; i++) {
                int item = i;
                producer = producer.thenCompose(x -> {
                    onLoop();
                    CompletableFuture<Void> put = q.put(item);
                    if (!put.isDone()) sawFull[0] = true;
                    return put;
                });
            }
            CompletableFuture<Void> consumer = CompletableFuture.completedFuture(null);
            for (int i = 0; i < 50; i++) {
                consumer = consumer.thenCompose(x -> timers.sleep(Duration.ofMillis(1)))
                        .thenCompose(x -> q.take())
                        .thenAccept(v -> {
                            onLoop();
                            out.add(v);
                        });
            }
            return producer.thenCombine(consumer, (a, b) -> {
                assertTrue(sawFull[0], "the producer never had to wait for room");
                return out;
            });
        });
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) expected.add(i);
        assertEquals(expected, got);
    }

    @Test
    void takersWaitForItemsAndCancelledTakersLoseNothing() throws Exception {
        List<String> got = run(ctx -> {
            AsyncQueue<String> q = ctx.facility(LoopPrimitives.class).queue(Integer.MAX_VALUE);
            CompletableFuture<String> gone = q.take();
            CompletableFuture<String> first = q.take();
            CompletableFuture<String> second = q.take();
            assertFalse(first.isDone());
            gone.cancel(false);
            q.offer("a");
            q.offer("b");
            return first.thenCombine(second, (a, b) -> {
                onLoop();
                return List.of(a, b);
            });
        });
        assertEquals(List.of("a", "b"), got);
    }

    @Test
    void eventWakesEveryWaiter() throws Exception {
        int woken = run(ctx -> {
            AsyncEvent ev = ctx.facility(LoopPrimitives.class).event();
            AtomicInteger n = new AtomicInteger();
            List<CompletableFuture<Void>> waiters = new ArrayList<>();
            for (int i = 0; i < 25; i++) waiters.add(ev.await().thenRun(() -> {
                onLoop();
                n.incrementAndGet();
            }));
            assertEquals(0, n.get());
            ctx.facility(LoopTimers.class).schedule(Duration.ofMillis(20), ev::set);
            return CompletableFuture.allOf(waiters.toArray(CompletableFuture[]::new)).thenApply(x -> {
                assertTrue(ev.isSet());
                assertTrue(ev.await().isDone(), "a set event does not make anyone wait");
                return n.get();
            });
        });
        assertEquals(25, woken);
    }

    @Test
    void toThreadRunsBlockingCodeOffTheLoopAndComesBack() throws Exception {
        String result = run(ctx -> {
            LoopPrimitives p = ctx.facility(LoopPrimitives.class);
            CompletableFuture<String> blocking = p.toThread(() -> {
                assertNotSame(loopThread, Thread.currentThread());
                Thread.sleep(300); // would trip the 200 ms detector if it ran on the loop
                return Thread.currentThread().getName();
            });
            // the loop keeps ticking while the helper thread sleeps
            AtomicInteger ticks = new AtomicInteger();
            CompletableFuture<Void> ticking = CompletableFuture.completedFuture(null);
            for (int i = 0; i < 5; i++) ticking = ticking.thenCompose(x -> ctx.facility(LoopTimers.class).sleep(Duration.ofMillis(10)))
                    .thenRun(ticks::incrementAndGet);
            return ticking.thenCombine(blocking, (x, name) -> {
                onLoop();
                return name + " ticks=" + ticks.get();
            });
        });
        assertTrue(result.startsWith("railyard-loop-offload-") && result.endsWith("ticks=5"), result);
    }

    @Test
    void allGathersInOrderAndHopsBackToTheLoop() throws Exception {
        List<Integer> out = run(ctx -> {
            LoopPrimitives p = ctx.facility(LoopPrimitives.class);
            List<CompletableFuture<Integer>> parts = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int n = i;
                // completed off the loop, on the common pool: all() must still call back on the loop
                parts.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        Thread.sleep((10 - n) * 3L);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return n * n;
                }));
            }
            return p.all(parts).thenApply(list -> {
                onLoop();
                return list;
            });
        });
        assertEquals(List.of(0, 1, 4, 9, 16, 25, 36, 49, 64, 81), out);
    }

    @Test
    void allFailsWithTheFirstFailure() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> run(ctx -> {
            LoopPrimitives p = ctx.facility(LoopPrimitives.class);
            return p.all(List.of(ctx.facility(LoopTimers.class).sleep(Duration.ofMillis(5)),
                    CompletableFuture.<Void>failedFuture(new IllegalStateException("part 2 broke"))));
        }));
        assertEquals("part 2 broke", e.getCause().getMessage());
    }

    @Test
    void anyTakesTheFirstSuccess() throws Exception {
        String winner = run(ctx -> {
            LoopPrimitives p = ctx.facility(LoopPrimitives.class);
            LoopTimers t = ctx.facility(LoopTimers.class);
            return p.any(List.of(
                    CompletableFuture.<String>failedFuture(new IllegalStateException("fast failure")),
                    t.sleep(Duration.ofMillis(200)).thenApply(x -> "slow"),
                    t.sleep(Duration.ofMillis(10)).thenApply(x -> "quick"))).thenApply(v -> {
                onLoop();
                return v;
            });
        });
        assertEquals("quick", winner);
        ExecutionException e = assertThrows(ExecutionException.class, () -> run(ctx -> ctx.facility(LoopPrimitives.class)
                .any(List.of(CompletableFuture.failedFuture(new IllegalStateException("one")),
                        CompletableFuture.failedFuture(new IllegalStateException("two"))))));
        assertEquals(1, e.getCause().getSuppressed().length);
    }

    @Test
    void timeoutFailsTheWaitAndCancelsTheStage() throws Exception {
        CompletableFuture<?>[] slow = new CompletableFuture<?>[1];
        ExecutionException e = assertThrows(ExecutionException.class, () -> run(ctx -> {
            slow[0] = ctx.facility(LoopTimers.class).sleep(Duration.ofSeconds(20));
            return ctx.facility(LoopPrimitives.class).timeout(slow[0], Duration.ofMillis(50));
        }));
        assertInstanceOf(TimeoutException.class, e.getCause());
        assertTrue(slow[0].isCancelled(), "the timed-out stage was cancelled");
        assertEquals("in time", run(ctx -> ctx.facility(LoopPrimitives.class)
                .timeout(ctx.facility(LoopTimers.class).sleep(Duration.ofMillis(5)).thenApply(x -> "in time"), Duration.ofSeconds(20))));
    }

    @Test
    void primitivesRefuseCallsFromOtherThreads() throws Exception {
        AsyncSemaphore sem = run(ctx -> CompletableFuture.completedFuture(ctx.facility(LoopPrimitives.class).semaphore(1)));
        IllegalStateException e = assertThrows(IllegalStateException.class, sem::acquire);
        assertTrue(e.getMessage().contains("belongs to the event loop"), e.getMessage());
        AsyncQueue<String> q = run(ctx -> CompletableFuture.completedFuture(ctx.facility(LoopPrimitives.class).<String>queue(1)));
        assertThrows(IllegalStateException.class, () -> q.offer("x"));
    }
}
