package io.railyard.core.processes;

import io.railyard.core.PoolSpec;
import io.railyard.core.Resizable;
import io.railyard.core.TaskFuture;
import io.railyard.core.processes.jobs.FaultJobs;
import io.railyard.core.processes.jobs.FaultJobs.Hold;
import io.railyard.core.processes.jobs.FaultJobs.Pid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The resize hook the autoscaler uses ({@link Resizable}), on real worker processes: a pool opened
 * with one worker grows, idle surplus workers exit at once, a busy one only after its task (which
 * still completes), and a worker is never started beyond the target.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProcessPoolResizeTest {

    @TempDir
    Path dir;

    private final List<ProcessPool> pools = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        Files.writeString(dir.resolve("release"), "");
        for (ProcessPool p : pools) {
            p.shutdownNow();
            assertTrue(p.awaitTermination(Duration.ofSeconds(30)));
        }
    }

    ProcessPool open(int concurrency, int initial) {
        PoolSpec spec = PoolSpec.of(concurrency).withOptions(Map.of(Resizable.INITIAL_WORKERS_OPTION, Integer.toString(initial)));
        ProcessPool p = new ProcessPool(spec, ProcessPoolOptions.DEFAULT.withAllow(List.of(FaultJobs.ALLOW)));
        pools.add(p);
        return p;
    }

    static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + what);
            Thread.sleep(5);
        }
    }

    static boolean gone(long pid) {
        return ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
    }

    @Test
    void opensWithTheInitialWorkersAndGrowsOnResize() throws Exception {
        ProcessPool pool = open(4, 1);
        assertEquals(1, pool.workers());
        assertEquals(1, pool.workerPids().size());
        pool.resize(3);
        await(() -> pool.workers() == 3 && pool.workerPids().size() == 3, "3 workers serving");
        // three tasks held at once run on three different processes
        List<TaskFuture<String>> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) held.add(pool.submit(new Hold(dir.toString(), "h" + i)));
        for (int i = 0; i < 3; i++) {
            int n = i;
            await(() -> Files.exists(dir.resolve("started-h" + n)), "h" + n + " started");
        }
        Set<String> pids = new HashSet<>();
        for (int i = 0; i < 3; i++) pids.add(Files.readString(dir.resolve("started-h" + i)));
        assertEquals(3, pids.size());
        assertEquals(3, pool.aliveProcesses(), "no fourth worker beyond the target");
    }

    @Test
    void shrinkingRetiresIdleWorkersAtOnceAndBusyOnesAfterTheirTask() throws Exception {
        ProcessPool pool = open(3, 3);
        List<Long> before = pool.workerPids();
        assertEquals(3, before.size());
        TaskFuture<String> busy = pool.submit(new Hold(dir.toString(), "busy"));
        await(() -> Files.exists(dir.resolve("started-busy")), "the busy task");
        long busyPid = Long.parseLong(Files.readString(dir.resolve("started-busy")));

        pool.resize(1);
        // the idle ones beyond the target (slots 1 and 2; the pids are in slot order) exit now; the
        // busy one, if it is beyond the target, only after its task
        for (int slot = 1; slot < 3; slot++) {
            long pid = before.get(slot);
            if (pid != busyPid) await(() -> gone(pid), "idle worker " + pid + " retired");
        }
        assertFalse(gone(busyPid), "a busy worker is never killed by a resize");
        Files.writeString(dir.resolve("release"), "");
        assertEquals("busy", busy.get(30, TimeUnit.SECONDS), "its task completes");
        await(() -> pool.workers() == 1 && pool.aliveProcesses() == 1, "one worker left");
        long left = pool.workerPids().get(0);
        assertEquals(left, pool.submit(new Pid()).get(30, TimeUnit.SECONDS));
        // and it grows back
        pool.resize(2);
        await(() -> pool.workerPids().size() == 2, "two again");
    }

    @Test
    void aBadInitialWorkersOptionIsOneLine() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> open(2, 3));
        assertEquals("option initialWorkers=3 must be a whole number from 1 to the concurrency (2)", e.getMessage());
        ProcessPool pool = open(2, 1);
        assertThrows(IllegalArgumentException.class, () -> pool.resize(0));
        assertThrows(IllegalArgumentException.class, () -> pool.resize(3));
    }
}
