package io.railyard.core.probe;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A zombie — exited, not reaped by its parent — is alive to ProcessHandle but not running to Liveness;
 * the parent pid a worker polls is the real one. (That a worker sees its parent's death through it is
 * tested with real processes in ProcessPoolFaultTest.)
 */
class LivenessTest {

    @Test
    void aZombieIsNotRunningThoughProcessHandleSaysAlive() throws Exception {
        assumeTrue(ProcessTreeProbe.supported(), "needs Linux /proc");
        // sh starts a short sleep in the background, then becomes a long sleep that never reaps it
        Process p = new ProcessBuilder("sh", "-c", "sleep 0.05 & echo $!; exec sleep 30").start();
        try {
            long zombie = Long.parseLong(new BufferedReader(new InputStreamReader(p.getInputStream())).readLine().trim());
            ProcessHandle h = ProcessHandle.of(zombie).orElseThrow();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (Liveness.running(h) && System.nanoTime() < deadline) Thread.sleep(10);
            assertFalse(Liveness.running(h), "the short sleep has exited");
            assertTrue(h.isAlive(), "but nobody reaped it: ProcessHandle still calls it alive");
            assertTrue(Liveness.running(p.toHandle()), "the long sleep runs");
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
        assertFalse(Liveness.running(p.toHandle()));
    }

    @Test
    void pidAndParentPidAreWhatProcessHandleSays() {
        assumeTrue(ProcessTreeProbe.supported(), "needs Linux /proc");
        assertEquals(ProcessHandle.current().parent().orElseThrow().pid(), Liveness.parentPid());
        assertEquals(ProcessHandle.current().pid(), Liveness.pid());
    }

    @Test
    void whenGoneRunsOnceTheWatchedProcessEndsAndNotBefore() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        CountDownLatch gone = new CountDownLatch(1);
        Thread watch = Liveness.whenGone(p.pid(), "test-watch", gone::countDown);
        try {
            assertTrue(watch.isDaemon());
            assertFalse(gone.await(500, TimeUnit.MILLISECONDS), "the process still runs");
            p.destroyForcibly();
            assertTrue(gone.await(10, TimeUnit.SECONDS), "the watch saw the process end");
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void anInterruptedWatchStopsWithoutRunningItsAction() throws Exception {
        Process p = new ProcessBuilder("sleep", "30").start();
        CountDownLatch gone = new CountDownLatch(1);
        try {
            Thread watch = Liveness.whenGone(p.pid(), "test-watch", gone::countDown);
            watch.interrupt();
            watch.join(10_000);
            assertFalse(watch.isAlive());
            p.destroyForcibly();
            assertFalse(gone.await(500, TimeUnit.MILLISECONDS), "a stopped watch does nothing");
        } finally {
            p.destroyForcibly();
        }
    }
}
