package io.railyard.core.processes;

import io.railyard.core.PoolSpec;
import io.railyard.core.processes.jobs.FaultJobs;
import io.railyard.core.trace.TaskRecord;
import io.railyard.core.trace.TraceRecorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Submit-to-start on {@code processes} ends where the task's code begins, in the worker, which
 * stamps it on the machine's one monotonic clock; the pool checks at each worker's start-up that
 * the worker reads that clock.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SubmitToStartTest {

    @Test
    void theWorkerStampsTheStartAfterDecodingRightBeforeTheTaskRuns() throws Exception {
        TraceRecorder trace = new TraceRecorder(100);
        long decodeMillis = 300;
        List<Long> began = new ArrayList<>();
        try (ProcessPool pool = new ProcessPool(PoolSpec.of(1).withTrace(trace),
                ProcessPoolOptions.DEFAULT.withAllow(List.of(FaultJobs.ALLOW)))) {
            for (int i = 0; i < 3; i++) began.add(pool.submit(new FaultJobs.SlowToDecode(decodeMillis)).get(30, TimeUnit.SECONDS));
        }
        List<TaskRecord> records = new ArrayList<>(trace.snapshot());
        records.sort(java.util.Comparator.comparingLong(TaskRecord::taskId)); // submitted one after another
        assertEquals(3, records.size());
        for (int i = 0; i < 3; i++) {
            TaskRecord r = records.get(i);
            assertFalse(r.startEstimated(), "a worker on this machine reads this JVM's clock: " + r);
            // the decoding in the worker is part of the overhead: the start is not when the parent sent the task
            assertTrue(r.queuedNanos() >= TimeUnit.MILLISECONDS.toNanos(decodeMillis), "submit-to-start counts the decoding: " + r);
            long codeBegan = began.get(i);
            assertTrue(r.startNanos() <= codeBegan && codeBegan <= r.endNanos(),
                    "stamped just before the task's code, which read " + codeBegan + ": " + r);
        }
    }

    @Test
    void aClockReadingOutsideTheRoundTripIsAnotherClock() {
        assertTrue(Worker.sameClock(100, 100, 200));
        assertTrue(Worker.sameClock(100, 150, 200));
        assertTrue(Worker.sameClock(100, 200, 200));
        assertFalse(Worker.sameClock(100, 99, 200));
        assertFalse(Worker.sameClock(100, 201, 200));
        assertFalse(Worker.sameClock(100, 5_000_000_000L, 200), "a clock that started elsewhere");
        // near the end of the range, differences still compare
        assertTrue(Worker.sameClock(Long.MAX_VALUE - 10, Long.MAX_VALUE - 5, Long.MIN_VALUE + 3));
        // one clock: no offset; another: the reading minus the round trip's midpoint
        assertEquals(0, Worker.offset(100, 180, 200));
        assertEquals(5_000_000_000L, Worker.offset(100, 5_000_000_150L, 200));
        assertEquals(-2_000, Worker.offset(2_000, 500, 3_000));
    }
}
