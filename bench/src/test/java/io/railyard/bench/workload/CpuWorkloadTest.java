package io.railyard.bench.workload;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.core.Models;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CpuWorkloadTest {

    @Test
    void fibIterativeMatchesTheRecursionAndCallsCountEveryCall() {
        for (int k = 0; k <= 25; k++) assertEquals(CpuWorkload.fib(k), CpuWorkload.fibIterative(k), "fib(" + k + ")");
        assertEquals(1, CpuWorkload.calls(1));
        assertEquals(3, CpuWorkload.calls(2)); // fib(2) calls fib(1) and fib(0)
        assertEquals(CpuWorkload.calls(9) + CpuWorkload.calls(8) + 1, CpuWorkload.calls(10));
    }

    @Test
    void aBackgroundCalibrationIsTakenByTheFirstWorkloadOnlyAndScalesByTheCalls() {
        CpuWorkload.calibrateInBackground();
        CpuWorkload.calibrateInBackground(); // one calibration started, not two
        CpuWorkload first = new CpuWorkload(20, 4), second = new CpuWorkload(20, 4);
        assertEquals("measured as the JVM started on fib(31), per call", first.parameters().get("calibration"));
        assertEquals("measured now on fib(31), per call", second.parameters().get("calibration"));
        double perCall = first.serialTaskSeconds() / CpuWorkload.calls(20);
        assertTrue(perCall > 1e-11 && perCall < 1e-6, "a call of compiled fib takes nanoseconds, was " + perCall + " s");
        assertEquals(4 * first.serialTaskSeconds() / Math.min(Runtime.getRuntime().availableProcessors(), 2), first.limitSeconds(2), 1e-12);
    }

    @Test
    void failedTasksAreCountedByReason() throws Exception {
        // the pool shut down as the first task ends (a run stopped by Ctrl-C): the tasks still queued are cancelled
        try (CpuWorkload work = new CpuWorkload(30, 8); TaskPool pool = Models.open("threads", PoolSpec.of(1))) {
            Workload.Tally t = work.runOnce(pool, (done, failed) -> pool.shutdownNow());
            assertTrue(t.failed() > 0, "some tasks were cancelled: " + t);
            assertEquals(t.failed(), t.failures().values().stream().mapToLong(Long::longValue).sum(), "every failure has its reason: " + t);
            assertTrue(t.failures().containsKey("cancelled"), t.toString());
        }
    }

    @Test
    void everyTaskIsCheckedAgainstFibByIteration() throws Exception {
        try (CpuWorkload work = new CpuWorkload(18, 6); TaskPool pool = Models.open("threads", PoolSpec.of(2))) {
            Workload.Tally t = work.runOnce(pool, Workload.Progress.NONE);
            assertEquals(6, t.ok());
            assertEquals(0, t.failed());
        }
    }
}
