package io.railyard.core.probe;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ProcessTreeProbeTest {

    @Test
    void aChildsCpuCountsWhileItLivesAndAfterItIsReaped() throws Exception {
        assumeTrue(ProcessTreeProbe.supported(), "needs Linux /proc");
        long before = ProcessTreeProbe.cpuNanos();
        // a child that does a fixed amount of CPU work (not a fixed wall time, which a loaded machine
        // would turn into less CPU), reports the CPU time it used, then exits and is reaped
        Process p = new ProcessBuilder("python3", "-c",
                "import os\nx=0\nfor i in range(6_000_000): x+=i\nt=os.times()\nprint(t.user+t.system)")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        double childSeconds = Double.parseDouble(new String(p.getInputStream().readAllBytes()).trim());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        long after = ProcessTreeProbe.cpuNanos();
        assertTrue(childSeconds > 0.1, "the child burned " + childSeconds + " s");
        // the tree's CPU grew by at least the child's own (clock-tick rounding: 2 ticks of slack)
        assertTrue(after - before >= (long) (childSeconds * 1e9) - 20_000_000L,
                "tree CPU grew by " + (after - before) / 1e6 + " ms, the child used " + childSeconds * 1000 + " ms");
    }

    @Test
    void descendantsAreEveryChildAndGrandchildInTheTree() throws Exception {
        assumeTrue(ProcessTreeProbe.supported(), "needs Linux /proc");
        // sh starts two grandchildren, prints their pids, then waits: one children list with two pids
        Process p = new ProcessBuilder("sh", "-c", "sleep 30 & a=$!; sleep 30 & echo $a $!; wait").start();
        try {
            String[] pids = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine().trim().split(" ");
            java.util.List<Long> found = ProcessTreeProbe.descendants();
            assertTrue(found.contains(p.pid()), found + " lacks the child " + p.pid());
            for (String g : pids) assertTrue(found.contains(Long.parseLong(g)), found + " lacks the grandchild " + g);
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void aProcessOfManyThreadsHasItsChildrenFoundByTheScanInstead() throws Exception {
        assumeTrue(ProcessTreeProbe.supported(), "needs Linux /proc");
        // 100 threads: more children lists than a scan of the machine costs, so the scan finds the child
        Process p = new ProcessBuilder("python3", "-c", "import threading, subprocess, time\n"
                + "for _ in range(100): threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
                + "c = subprocess.Popen(['sleep', '60'])\nprint(c.pid, flush=True)\ntime.sleep(60)")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            long child = Long.parseLong(new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream())).readLine().trim());
            assertTrue(ProcessTreeProbe.descendants(p.pid()).contains(child), "the child of a process of 100 threads");
            assertTrue(ProcessTreeProbe.descendants().contains(child), "and a grandchild of this JVM");
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void aChildsMemoryCountsInTheTreesRss() throws Exception {
        assumeTrue(ProcessTreeProbe.supported(), "needs Linux /proc");
        long mine = ProcessTreeProbe.rssBytes();
        Process p = new ProcessBuilder("python3", "-c",
                "import sys,time\nx=bytearray(300*1024*1024)\nfor i in range(0,len(x),4096): x[i]=1\nprint('ready',flush=True)\ntime.sleep(60)")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            assertEquals("ready", new String(p.getInputStream().readNBytes(5)));
            assertTrue(ProcessTreeProbe.descendants().contains(p.pid()));
            long tree = ProcessTreeProbe.rssBytes();
            assertTrue(tree - mine >= 250L << 20, "tree RSS grew by " + ((tree - mine) >> 20) + " MiB");
            assertTrue(ProcessTreeProbe.processes() >= 2);
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void theSamplerKeepsThePeakAndASeries() throws Exception {
        assumeTrue(ProcessTreeProbe.supported(), "needs Linux /proc");
        ResourceSampler sampler = new ResourceSampler(Duration.ofMillis(5)).start();
        byte[][] hold = new byte[64][];
        for (int i = 0; i < hold.length; i++) {
            hold[i] = new byte[1 << 20];
            for (int j = 0; j < hold[i].length; j += 4096) hold[i][j] = 1;
        }
        Thread.sleep(50);
        ResourceSampler.Samples s = sampler.stop();
        assertTrue(s.series().size() >= 2);
        assertTrue(s.peakRssBytes() >= s.series().get(0).rssBytes());
        assertTrue(s.wallNanos() > 0);
        assertTrue(hold[63][0] == 1);
        assertThrows(IllegalStateException.class, sampler::start);
    }

    @Test
    void aSampleSaysWhatPartOfTheTreesMemoryItsChildrenHold() throws Exception {
        assumeTrue(ProcessTreeProbe.supported(), "needs Linux /proc");
        // a real child of this JVM holding 64 MiB: its RSS is the descendants' part, this JVM's is not in it
        Process p = new ProcessBuilder("python3", "-c",
                "import sys\nx=bytearray(64*1024*1024)\nfor i in range(0,len(x),4096): x[i]=1\nprint('ready',flush=True)\nsys.stdin.read()")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
            assertEquals("ready", in.readLine());
            ResourceSampler sampler = new ResourceSampler(Duration.ofMillis(10)).start();
            Thread.sleep(300); // the tree is listed every 100 ms
            ResourceSampler.Sample last = sampler.stop().series().getLast();
            long child = ProcessTreeProbe.rssBytes(p.pid());
            assertTrue(last.processes() >= 2, "the child is in the tree: " + last);
            assertTrue(last.descendantsRssBytes() >= 60L << 20, "children's part " + (last.descendantsRssBytes() >> 20) + " MiB");
            assertTrue(last.descendantsRssBytes() <= child + (8L << 20), "the JVM's own memory is not in it: " + last + ", child " + child);
            assertTrue(last.rssBytes() - last.descendantsRssBytes() >= 8L << 20, "the JVM's own is the rest: " + last);
        } finally {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    @Test
    void aSamplerOfAnotherTreeMeasuresThatTreeAloneAndStopsCleanlyWhenItExits() throws Exception {
        assumeTrue(ProcessTreeProbe.supported(), "needs Linux /proc");
        // a child holding 200 MiB that, once told to go, does a fixed amount of CPU work (not a fixed
        // wall time, which a loaded machine would turn into less CPU) and reports what it used
        Process p = new ProcessBuilder("python3", "-c",
                "import os,sys\nx=bytearray(200*1024*1024)\nfor i in range(0,len(x),4096): x[i]=1\nprint('ready',flush=True)\n"
                        + "sys.stdin.readline()\nt0=os.times()\ny=0\nfor i in range(3_000_000): y+=i\nt1=os.times()\n"
                        + "print((t1.user+t1.system)-(t0.user+t0.system),flush=True)\nsys.stdin.read()")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream()));
            assertEquals("ready", in.readLine());
            ResourceSampler sampler = ResourceSampler.ofTree(p.pid()).start();
            p.getOutputStream().write("go\n".getBytes());
            p.getOutputStream().flush();
            double burned = Double.parseDouble(in.readLine().trim());
            ResourceSampler.Samples s = sampler.stop();
            long jvm = ProcessTreeProbe.rssBytes(ProcessHandle.current().pid());
            assertTrue(s.peakRssBytes() >= 190L << 20, "child peak " + (s.peakRssBytes() >> 20) + " MiB");
            assertTrue(s.peakRssBytes() < (200L << 20) + jvm, "the JVM's own memory is not counted");
            // clock-tick rounding at both ends: 2 ticks of slack
            assertTrue(s.cpuNanos() >= (long) (burned * 1e9) - 20_000_000L,
                    "sampled child CPU " + s.cpuNanos() / 1e6 + " ms, the child reports " + burned * 1000 + " ms");
            p.getOutputStream().close();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            ResourceSampler after = ResourceSampler.ofTree(p.pid());
            assertThrows(IllegalStateException.class, after::stop, "never started");
        } finally {
            p.destroyForcibly().waitFor();
        }
    }

    @Test
    void thisProcesssAgeIsFromItsStartNotFromAWholeSecondOfBootTime() {
        assumeTrue(ProcessTreeProbe.supported(), "needs /proc");
        long uptime = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L; // since the JVM's start
        long age = ProcessTreeProbe.selfAgeNanos();
        long uptimeAfter = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;
        // the process began a little before the JVM recorded its start, never after; /proc's ticks are 10 ms
        assertTrue(age >= uptime - 30_000_000L, "age " + age / 1e6 + " ms, JVM uptime " + uptime / 1e6 + " ms");
        assertTrue(age <= uptimeAfter + 2_000_000_000L, "age " + age / 1e6 + " ms, JVM uptime " + uptimeAfter / 1e6 + " ms");
        long later = ProcessTreeProbe.selfAgeNanos();
        assertTrue(later >= age - 20_000_000L, "the age grows: " + age + " then " + later);
    }
}
