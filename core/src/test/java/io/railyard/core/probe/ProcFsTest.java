package io.railyard.core.probe;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** The stat parser against a line whose command name holds spaces and parentheses, and against this JVM. */
class ProcFsTest {

    @Test
    void statFieldsAreCountedFromTheLastParenthesis() {
        // fields: 1 pid, 2 comm, 3 state, 4..13, 14 utime, 15 stime, 16 cutime, 17 cstime, 18 prio, 19 nice, 20 threads, 21, 22, 23 vsize, 24 rss
        String line = "4242 (a (b) c) R 1 4242 4242 0 -1 4194560 1 2 3 4 110 220 30 40 20 -5 17 0 123 456789 1000 18446744073709551615\n";
        ProcFs.Stat s = ProcFs.parseStat(line);
        assertEquals(330, s.ownTicks());
        assertEquals(70, s.reapedChildrenTicks());
        assertEquals(17, s.threads());
        assertEquals(1000 * ProcFs.PAGE_SIZE, s.rssBytes());
    }

    @Test
    void thisJvmsStatAgreesWithItsStatus() {
        org.junit.jupiter.api.Assumptions.assumeTrue(ProcessTreeProbe.supported(), "needs Linux /proc");
        ProcFs.Stat self = ProcFs.selfStat();
        assertNotNull(self);
        long statusRss = ProcFs.statusField(ProcessHandle.current().pid(), "VmRSS");
        // two readings a moment apart: the same resident set within a few MiB
        assertTrue(Math.abs(self.rssBytes() - statusRss) < (16L << 20), self.rssBytes() + " vs " + statusRss);
        assertTrue(self.threads() >= Thread.activeCount() / 2, "threads " + self.threads());
    }

    /**
     * The sampler's thread is interrupted to stop it, maybe in the middle of reading this JVM's
     * stat: that must not break the reading for everyone after (an interruptible channel closes for
     * good when a reader is interrupted, and every later reading of this JVM's memory became 0).
     */
    @Test
    void interruptingAReaderLeavesTheStatReadable() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(ProcessTreeProbe.supported(), "needs Linux /proc");
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                ProcFs.selfStat();
                Thread.interrupted(); // clear it, and be interrupted again on the next read
            }
        });
        reader.start();
        long end = System.nanoTime() + 300_000_000L;
        while (System.nanoTime() < end) {
            reader.interrupt();
            Thread.onSpinWait();
        }
        stop.set(true);
        reader.join(5_000);
        ProcFs.Stat self = ProcFs.selfStat();
        assertNotNull(self, "this JVM's stat is still readable");
        assertTrue(self.rssBytes() > (8L << 20), "and says how much memory it holds: " + self.rssBytes());
    }

    @Test
    void theMachinesBusyTimeHoldsTheCpuThisThreadBurns() {
        org.junit.jupiter.api.Assumptions.assumeTrue(ProcessTreeProbe.supported(), "needs Linux /proc");
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long before = ProcFs.machineBusyNanos(), cpu0 = threads.getCurrentThreadCpuTime();
        assertTrue(before > 0, "read from /proc/stat: " + before);
        long sink = 0;
        while (threads.getCurrentThreadCpuTime() - cpu0 < 300_000_000L) sink += Long.numberOfTrailingZeros(sink + System.nanoTime());
        long burnt = threads.getCurrentThreadCpuTime() - cpu0, busy = ProcFs.machineBusyNanos() - before;
        assertTrue(busy >= burnt - 3 * ProcFs.TICK_NANOS, "the machine was busy " + busy + " ns while this thread burnt " + burnt + " (" + sink + ")");
    }
}
