package io.railyard.core.trace;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link TraceRecorder}: what goes in comes out, in order, and a snapshot holds still. */
class TraceRecorderTest {

    private static TaskRecord randomRecord(Random random, long id) {
        long submit = random.nextLong(1L << 40), start = random.nextBoolean() ? -1 : submit + random.nextInt(1_000_000);
        return new TaskRecord(id, submit, start, Math.max(submit, start) + random.nextInt(1_000_000), random.nextInt(64) - 1,
                Outcome.values()[random.nextInt(Outcome.values().length)], random.nextBoolean() ? -1 : random.nextInt(1 << 20),
                random.nextBoolean());
    }

    private static void record(TraceRecorder trace, TaskRecord r) {
        trace.record(r.taskId(), r.submitNanos(), r.startNanos(), r.endNanos(), r.worker(), r.outcome(), r.cpuNanos(), r.startEstimated());
    }

    @Test
    void aSnapshotListsEveryRecordInOrderAcrossBlocksAndNoneMadeAfterIt() {
        Random random = new Random(7);
        TraceRecorder trace = new TraceRecorder(10_000);
        List<TaskRecord> expected = new ArrayList<>();
        for (int i = 0; i < 9_000; i++) { // more than two blocks
            TaskRecord r = randomRecord(random, i + 1);
            expected.add(r);
            record(trace, r);
        }
        List<TaskRecord> snapshot = trace.snapshot();
        for (int i = 0; i < 500; i++) record(trace, randomRecord(random, 100_000 + i));
        assertEquals(expected, snapshot);
        assertEquals(expected, new ArrayList<>(snapshot), "read through its iterator");
        assertEquals(9_500, trace.snapshot().size());
        assertThrows(IndexOutOfBoundsException.class, () -> snapshot.get(9_000));
        assertThrows(UnsupportedOperationException.class, () -> snapshot.add(expected.get(0)));
    }

    @Test
    void recordsBeyondTheCapacityAreCountedNotKept() {
        Random random = new Random(8);
        TraceRecorder trace = new TraceRecorder(100);
        for (int i = 0; i < 130; i++) record(trace, randomRecord(random, i + 1));
        assertEquals(100, trace.snapshot().size());
        assertEquals(30, trace.dropped());
        assertEquals(List.of(), TraceRecorder.disabled().snapshot());
    }

    @Test
    void aSnapshotTakenWhileThreadsRecordHoldsOnlyWholeRecords() throws Exception {
        TraceRecorder trace = new TraceRecorder(200_000);
        int threads = 3, each = 50_000;
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger finished = new AtomicInteger();
        List<Thread> writers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long base = (t + 1) * 1_000_000L;
            writers.add(Thread.ofPlatform().start(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                // every field of a record is derived from its id: a torn record shows
                for (long i = 0; i < each; i++) {
                    long id = base + i;
                    trace.record(id, id, id + 1, id + 2, (int) (id % 7), Outcome.OK, id + 3, id % 2 == 0);
                }
                finished.incrementAndGet();
            }));
        }
        go.countDown();
        List<List<TaskRecord>> snapshots = new ArrayList<>();
        while (finished.get() < threads && snapshots.size() < 50) snapshots.add(trace.snapshot());
        for (Thread w : writers) w.join(60_000);
        snapshots.add(trace.snapshot());
        for (List<TaskRecord> snapshot : snapshots) {
            for (TaskRecord r : snapshot) {
                long id = r.taskId();
                assertTrue(r.submitNanos() == id && r.startNanos() == id + 1 && r.endNanos() == id + 2 && r.worker() == id % 7
                        && r.cpuNanos() == id + 3 && r.startEstimated() == (id % 2 == 0), "torn: " + r);
            }
        }
        assertEquals(threads * each, snapshots.get(snapshots.size() - 1).size());
    }
}
