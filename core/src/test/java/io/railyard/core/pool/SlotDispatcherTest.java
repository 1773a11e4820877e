package io.railyard.core.pool;

import io.railyard.core.BlockingTask;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link SlotDispatcher}: at most {@code slots} runs launched and not released, slots moved at run
 * time, an admission that holds runs back, cancelled runs skipped, and no run stranded when offers
 * and releases race.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlotDispatcherTest {

    private static final BlockingTask<Integer> ONE = () -> 1;

    /** A pool whose launcher only records the runs it is handed; the test finishes them. */
    private static final class RecordingPool extends AbstractTaskPool {
        final ConcurrentLinkedQueue<TaskRun<?>> launched = new ConcurrentLinkedQueue<>();
        final SlotDispatcher slots;

        RecordingPool(int slots, SlotDispatcher.Admission admission) {
            super("recording", PoolSpec.of(1_000));
            this.slots = new SlotDispatcher(slots, admission, launched::add);
        }

        @Override
        protected void dispatch(TaskRun<?> run) {
            slots.offer(run);
        }

        /** Runs the oldest launched run to completion and releases its slot. */
        boolean finishOne() {
            TaskRun<?> run = launched.poll();
            if (run == null) return false;
            run.runBlocking(0);
            slots.release();
            return true;
        }

        @Override
        protected void stopRunning(TaskRun<?> run) {}

        @Override
        protected void releaseWorkers() {}
    }

    /** Admits {@code permits} starts, then refuses; counts refunds. */
    private static final class Permits implements SlotDispatcher.Admission {
        final AtomicInteger left, refunds = new AtomicInteger();

        Permits(int permits) {
            left = new AtomicInteger(permits);
        }

        @Override
        public boolean tryAcquire() {
            return left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
        }

        @Override
        public void refund() {
            refunds.incrementAndGet();
            left.incrementAndGet();
        }
    }

    @Test
    void launchesAtMostSlotsAndTheNextOnRelease() {
        RecordingPool pool = new RecordingPool(2, null);
        for (int i = 0; i < 5; i++) pool.submit(ONE);
        assertEquals(2, pool.launched.size());
        assertEquals(2, pool.slots.busy());
        assertEquals(3, pool.slots.queued());
        assertTrue(pool.finishOne());
        assertEquals(2, pool.launched.size(), "a release launches the next queued run");
        assertEquals(2, pool.slots.queued());
        while (pool.finishOne()) { /* finish the rest */ }
        assertEquals(0, pool.slots.busy());
        assertEquals(0, pool.slots.queued());
        pool.close();
    }

    @Test
    void moreSlotsStartQueuedRunsOnTheNextDrainAndFewerStopNothing() {
        RecordingPool pool = new RecordingPool(1, null);
        for (int i = 0; i < 6; i++) pool.submit(ONE);
        assertEquals(1, pool.launched.size());
        pool.slots.setSlots(4);
        assertEquals(1, pool.launched.size(), "setSlots alone launches nothing");
        pool.slots.drain();
        assertEquals(4, pool.launched.size());
        pool.slots.setSlots(2);
        pool.slots.drain();
        assertEquals(4, pool.slots.busy(), "runs in flight beyond the slots keep running");
        pool.finishOne();
        pool.finishOne();
        assertEquals(2, pool.launched.size(), "no new run until fewer than 2 are in flight");
        pool.finishOne();
        assertEquals(2, pool.launched.size(), "back under 2: the next one starts");
        while (pool.finishOne()) { /* finish the rest */ }
        pool.close();
    }

    @Test
    void anAdmissionHoldsRunsBackUntilTheNextDrainAndGetsItsPermitBackForACancelledRun() {
        Permits permits = new Permits(1);
        RecordingPool pool = new RecordingPool(10, permits);
        TaskFuture<Integer> first = pool.submit(ONE);
        TaskFuture<Integer> cancelled = pool.submit(ONE);
        TaskFuture<Integer> third = pool.submit(ONE);
        assertEquals(1, pool.launched.size(), "one permit, one start");
        assertEquals(2, pool.slots.queued());
        cancelled.cancel(false);
        permits.left.set(1);
        pool.slots.drain();
        assertEquals(1, permits.refunds.get(), "the permit taken for the cancelled run is given back");
        assertEquals(2, pool.launched.size(), "and used for the run after it");
        assertEquals(0, pool.slots.queued());
        while (pool.finishOne()) { /* finish both */ }
        assertTrue(first.isDone() && third.isDone());
        pool.close();
    }

    @Test
    void clearDropsQueuedRuns() {
        RecordingPool pool = new RecordingPool(1, null);
        pool.submit(ONE);
        List<TaskFuture<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 3; i++) queued.add(pool.submit(ONE));
        for (TaskFuture<Integer> f : queued) f.cancel(false);
        pool.slots.clear();
        assertEquals(0, pool.slots.queued());
        pool.finishOne();
        assertTrue(pool.launched.isEmpty());
        pool.close();
    }

    @Test
    void racingOffersAndReleasesStrandNoRunAndNeverExceedTheSlots() throws Exception {
        int threads = 4, perThread = 2_000, slots = 3;
        AtomicInteger running = new AtomicInteger(), most = new AtomicInteger(), done = new AtomicInteger();
        SlotDispatcher[] holder = new SlotDispatcher[1];
        AbstractTaskPool pool = new AbstractTaskPool("racing", PoolSpec.of(slots)) {
            @Override
            protected void dispatch(TaskRun<?> run) {
                holder[0].offer(run);
            }

            @Override
            protected void stopRunning(TaskRun<?> run) {}

            @Override
            protected void releaseWorkers() {}
        };
        // the launcher runs the task inline, then releases its slot from another thread: both paths race
        holder[0] = new SlotDispatcher(slots, run -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.ofPlatform().start(() -> {
                running.decrementAndGet(); // before the task ends: close() may return as soon as it has
                run.runBlocking(0);
                holder[0].release();
            });
        });
        CyclicBarrier start = new CyclicBarrier(threads);
        CountDownLatch submitted = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                    for (int i = 0; i < perThread; i++) pool.submit(done::incrementAndGet);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                } finally {
                    submitted.countDown();
                }
            });
        }
        assertTrue(submitted.await(30, TimeUnit.SECONDS));
        pool.close();
        assertEquals(threads * perThread, done.get(), "every run launched and finished");
        assertTrue(most.get() <= slots, "at most " + slots + " in flight, saw " + most.get());
    }
}
