package io.railyard.core.threads;

import io.railyard.core.BlockingTask;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Hammers the threads pool's lazy start of workers: however dispatches and workers interleave, as
 * long as fewer than {@code concurrency} tasks are running, a queued task gets a thread. Each round
 * submits exactly {@code concurrency} tasks that block until the round ends, from two threads at
 * once, and waits (bounded) until every one of them has started: a task left in the queue while a
 * worker that has just taken another still counts as idle would never start.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ThreadsPoolLivenessTest {

    @Test
    void everyTaskOfABurstGetsAThreadUpToTheConcurrency() throws Exception {
        int concurrency = 64;
        for (int round = 0; round < 400; round++) {
            AtomicInteger started = new AtomicInteger();
            CountDownLatch release = new CountDownLatch(1);
            BlockingTask<Integer> gated = () -> {
                started.incrementAndGet();
                release.await();
                return 1;
            };
            ThreadsPool pool = new ThreadsPool(concurrency);
            try {
                Thread other = Thread.ofPlatform().start(() -> {
                    for (int i = 0; i < concurrency / 2; i++) pool.submit(gated);
                });
                for (int i = 0; i < concurrency / 2; i++) pool.submit(gated);
                other.join();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (started.get() < concurrency && System.nanoTime() < deadline) Thread.sleep(1);
                assertEquals(concurrency, started.get(), "round " + round + ": tasks started of " + concurrency
                        + " submitted, with " + pool.threads() + " threads");
            } finally {
                release.countDown();
                pool.close();
            }
        }
    }
}
