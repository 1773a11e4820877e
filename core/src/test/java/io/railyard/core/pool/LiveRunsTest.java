package io.railyard.core.pool;

import io.railyard.core.BlockingTask;
import io.railyard.core.PoolSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link LiveRuns}: the intrusive lists behind {@link AbstractTaskPool#shutdownNow()}, against a plain set. */
class LiveRunsTest {

    private static final BlockingTask<Integer> NOTHING = () -> 0;

    /** A pool that never starts what it is given: only a home for runs made here. */
    private static final AbstractTaskPool POOL = new AbstractTaskPool("held", PoolSpec.of(1)) {
        @Override
        protected void dispatch(TaskRun<?> run) {}

        @Override
        protected void stopRunning(TaskRun<?> run) {}

        @Override
        protected void releaseWorkers() {}
    };

    private static List<TaskRun<?>> runs(long firstId, int n, int step) {
        List<TaskRun<?>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(new TaskRun<>(POOL, firstId + (long) i * step, NOTHING, null));
        return out;
    }

    private static Set<TaskRun<?>> asSet(List<TaskRun<?>> snapshot) {
        Set<TaskRun<?>> set = new HashSet<>(snapshot);
        assertEquals(snapshot.size(), set.size(), "a run listed twice");
        return set;
    }

    @Test
    void randomAddsAndRemovesLeaveExactlyTheRunsAPlainSetWouldHold() {
        for (long seed = 1; seed <= 20; seed++) {
            Random random = new Random(seed);
            LiveRuns live = new LiveRuns();
            Set<TaskRun<?>> model = new HashSet<>();
            List<TaskRun<?>> all = runs(1, 300, 1);
            for (int op = 0; op < 3_000; op++) {
                TaskRun<?> run = all.get(random.nextInt(all.size()));
                if (random.nextBoolean() && !model.contains(run)) { // add takes a run that is in no list
                    live.add(run);
                    model.add(run);
                } else {
                    live.remove(run); // also a run removed before, or never added: nothing happens
                    model.remove(run);
                }
                if (op % 97 == 0) assertEquals(model, asSet(live.snapshot()), "seed " + seed + ", op " + op);
            }
            assertEquals(model, asSet(live.snapshot()), "seed " + seed);
        }
    }

    @Test
    void threadsAddingAndRemovingAtOnceLoseNoRunAndKeepNoRemovedOne() throws Exception {
        for (int lists : new int[]{1, 8}) {
            int threads = 4, perThread = 40_000;
            LiveRuns live = new LiveRuns(lists);
            CyclicBarrier start = new CyclicBarrier(threads);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<List<TaskRun<?>>>> kept = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    // ids interleave across threads, so every list is shared by every thread
                    List<TaskRun<?>> mine = runs(t + 1, perThread, threads);
                    long seed = 100 + t;
                    kept.add(pool.submit(() -> {
                        Random random = new Random(seed);
                        start.await();
                        // adds and removes interleaved, as submits and finishing tasks are: each run
                        // added is removed a little later, or kept a quarter of the time
                        List<TaskRun<?>> window = new ArrayList<>(), left = new ArrayList<>();
                        for (TaskRun<?> run : mine) {
                            live.add(run);
                            window.add(run);
                            while (window.size() > random.nextInt(8)) {
                                TaskRun<?> out = window.remove(random.nextInt(window.size()));
                                if (random.nextInt(4) == 0) left.add(out);
                                else live.remove(out);
                            }
                        }
                        left.addAll(window);
                        return left;
                    }));
                }
                Set<TaskRun<?>> expected = new HashSet<>();
                for (Future<List<TaskRun<?>>> f : kept) expected.addAll(f.get(60, TimeUnit.SECONDS));
                Set<TaskRun<?>> listed = asSet(live.snapshot()), lost = new HashSet<>(expected), stale = new HashSet<>(listed);
                lost.removeAll(listed);
                stale.removeAll(expected);
                assertEquals("0 lost, 0 removed but listed", lost.size() + " lost, " + stale.size() + " removed but listed", lists + " lists");
                for (TaskRun<?> run : expected) live.remove(run);
                assertEquals(List.of(), live.snapshot(), lists + " lists");
            } finally {
                pool.shutdownNow();
            }
        }
    }
}
