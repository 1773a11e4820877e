package io.railyard.loop;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the loop starts runs launched from off the loop: a few at a time, its sockets and timers between. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopLaunchTest {

    @Test
    void aBurstOfLaunchesLetsTheLoopTurnBetweenStartsAndStartsEveryRunInOrder() throws Exception {
        int tasks = 100;
        try (LoopPool pool = new LoopPool(PoolSpec.of(tasks + 1))) {
            CountDownLatch holding = new CountDownLatch(1), release = new CountDownLatch(1);
            // holds the loop thread, so that the whole burst is launched before any of it starts
            TaskFuture<Integer> holder = pool.submit(() -> {
                holding.countDown();
                release.await();
                return -1;
            });
            holding.await();
            AtomicInteger started = new AtomicInteger();
            CompletableFuture<Integer> startedWhenTheTimerRan = new CompletableFuture<>();
            List<Integer> order = new ArrayList<>(); // written on the loop only
            List<TaskFuture<Integer>> futures = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                int n = i;
                futures.add(pool.submitAsync(ctx -> {
                    order.add(n);
                    if (started.incrementAndGet() == 1) // a timer due at once: it runs on the loop's next turn
                        ctx.facility(LoopTimers.class).schedule(Duration.ZERO, () -> startedWhenTheTimerRan.complete(started.get()));
                    return CompletableFuture.completedFuture(n);
                }));
            }
            release.countDown();
            for (int i = 0; i < tasks; i++) assertEquals(i, futures.get(i).get(30, TimeUnit.SECONDS));
            assertEquals(-1, holder.get(30, TimeUnit.SECONDS));
            int seen = startedWhenTheTimerRan.get(30, TimeUnit.SECONDS);
            assertTrue(seen <= LoopPool.STARTS_PER_PASS,
                    "the loop turned only after " + seen + " of " + tasks + " starts, at most " + LoopPool.STARTS_PER_PASS + " expected");
            List<Integer> expected = new ArrayList<>();
            for (int i = 0; i < tasks; i++) expected.add(i);
            assertEquals(expected, order, "started in the order submitted"); // read after every future: each add happened before its completion
        }
    }
}
