package io.railyard.core.probe;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads what the whole process tree of this JVM costs right now: the JVM plus every descendant
 * process (worker JVMs of {@code processes}, cluster members started as children). Linux only
 * (/proc); elsewhere {@link #supported()} is false and readings fall back to this JVM alone.
 *
 * <p>CPU is cumulative and never goes backwards when a child exits: a live child's time is read
 * from its own /proc entry, and once the JVM has reaped it, the same time appears in the JVM's
 * "children" fields. RSS is a point reading (sum of VmRSS); use {@link ResourceSampler} for peaks.
 *
 * <p>Thread-safe and stateless.
 */
public final class ProcessTreeProbe {

    private static final long SELF = ProcessHandle.current().pid();
    private static final boolean PROC = Files.isReadable(Path.of("/proc/self/stat"));
    /** Looked up once: the lookup costs more than the reading it serves, at 50 samples a second. */
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    /** /proc/PID/task/TID/children lists a thread's child processes (Linux 3.5+, CONFIG_PROC_CHILDREN). */
    private static final boolean CHILDREN_FILES = Files.isReadable(Path.of("/proc/self/task/" + SELF + "/children"));

    private ProcessTreeProbe() {}

    public static boolean supported() {
        return PROC;
    }

    /**
     * One pass over the tree: what {@link ResourceSampler} records. {@code descendantsRssBytes} is
     * the part of {@code rssBytes} held by descendants and {@code largestDescendantRssBytes} the
     * RSS of the biggest one (a worker process, for the autoscaler's memory per worker).
     */
    public record Reading(long cpuNanos, long rssBytes, int processes, int threads,
                          long descendantsRssBytes, long largestDescendantRssBytes) {
        /** A reading that does not tell descendants apart. */
        public Reading(long cpuNanos, long rssBytes, int processes, int threads) {
            this(cpuNanos, rssBytes, processes, threads, 0, 0);
        }
    }

    /**
     * Pids of the live descendants of this JVM, read from the children lists of its threads (about
     * 0.07 ms here); where the kernel has none, by scanning every process of the machine (about
     * 0.7 ms). Samplers use {@link #reading(List)} with a list they refresh less often.
     */
    public static List<Long> descendants() {
        return descendants(SELF);
    }

    /** CPU, RSS, process and thread counts of this JVM and the given descendants, in one pass. */
    public static Reading reading(List<Long> descendants) {
        if (!PROC) return new Reading(cpuNanos(), rssBytes(), 1, Thread.activeCount());
        ProcFs.Stat self = ProcFs.selfStat();
        long rss = self == null ? 0 : self.rssBytes();
        long cpu = OS.getProcessCpuTime() + (self == null ? 0 : self.reapedChildrenCpuNanos());
        int alive = 1;
        long others = 0, largest = 0;
        for (long pid : descendants) {
            ProcFs.Stat s = ProcFs.stat(pid);
            if (s == null) continue; // exited since the list was made; its CPU is now in our reaped-children time
            alive++;
            cpu += s.cpuNanosWithReapedChildren();
            others += s.rssBytes();
            largest = Math.max(largest, s.rssBytes());
        }
        return new Reading(cpu, rss + others, alive, self == null ? 0 : self.threads(), others, largest);
    }

    /**
     * A reading of a tree with each descendant's part, for {@link ResourceSampler} to place a newly
     * seen process's CPU in the time it ran: per descendant its pid, CPU (with the children it
     * reaped), start time (clock ticks after boot) and count of tick-rounded counters.
     * {@code tickFields} counts the tick-rounded counters summed in {@code totals.cpuNanos()}: the
     * sum reads up to that many ticks short.
     */
    record TreeReading(Reading totals, int tickFields, long[] pids, long[] cpuNanos, long[] startTicks, int[] fields) {}

    /** {@link #reading} or {@link #readingOf} with each descendant's part; all zero once the root is gone. */
    static TreeReading readTree(long rootPid, List<Long> descendants) {
        int n = descendants.size();
        long[] pids = new long[n], cpus = new long[n], starts = new long[n];
        int[] fields = new int[n];
        boolean self = rootPid == SELF;
        if (self && !PROC) return new TreeReading(reading(descendants), 2, pids, cpus, starts, fields);
        ProcFs.Stat root = self ? ProcFs.selfStat() : ProcFs.stat(rootPid);
        if (root == null && !self) return new TreeReading(new Reading(0, 0, 0, 0), 0, pids, cpus, starts, fields);
        long cpu, rss = root == null ? 0 : root.rssBytes();
        int tickFields;
        if (self) { // the MXBean's process CPU is times(): user and system, each cut to whole ticks
            cpu = OS.getProcessCpuTime() + (root == null ? 0 : root.reapedChildrenCpuNanos());
            tickFields = 2 + (root == null || root.reapedChildrenTicks() == 0 ? 0 : 2);
        } else {
            cpu = root.cpuNanosWithReapedChildren();
            tickFields = root.tickFields();
        }
        int alive = 1, k = 0;
        long others = 0, largest = 0;
        for (long pid : descendants) {
            ProcFs.Stat s = ProcFs.stat(pid);
            if (s == null) continue; // exited since the list was made; its CPU is now in its parent's reaped-children time
            alive++;
            long c = s.cpuNanosWithReapedChildren();
            cpu += c;
            tickFields += s.tickFields();
            others += s.rssBytes();
            largest = Math.max(largest, s.rssBytes());
            pids[k] = pid;
            cpus[k] = c;
            starts[k] = s.startTicks();
            fields[k] = s.tickFields();
            k++;
        }
        Reading totals = new Reading(cpu, rss + others, alive, root == null ? 0 : root.threads(), others, largest);
        return new TreeReading(totals, tickFields, java.util.Arrays.copyOf(pids, k), java.util.Arrays.copyOf(cpus, k),
                java.util.Arrays.copyOf(starts, k), java.util.Arrays.copyOf(fields, k));
    }

    /**
     * Above this many threads in one process, its children lists (one file per thread) cost more to
     * read than a scan of every process of the machine: a CPython process with 1,000 threads took
     * ~100 ms to list on a busy machine, where the scan takes ~1 ms.
     */
    private static final int MANY_THREADS = 64;

    /** Pids of the live descendants of another process (e.g. a CPython child measured beside Java). */
    public static List<Long> descendants(long rootPid) {
        if (!CHILDREN_FILES) return scanDescendants(rootPid);
        List<Long> out = new ArrayList<>();
        ArrayDeque<Long> todo = new ArrayDeque<>();
        todo.add(rootPid);
        byte[] buffer = new byte[4096]; // one for every children file of this call: most are empty
        while (!todo.isEmpty()) {
            long pid = todo.poll();
            String dir = "/proc/" + pid + "/task/";
            String[] tasks = new java.io.File(dir).list(); // java.io: lighter than a DirectoryStream, see ProcFs.read
            if (tasks == null) continue; // the process ended while we listed it
            if (tasks.length > MANY_THREADS) return scanDescendants(rootPid);
            for (String task : tasks) {
                String path = dir + task + "/children";
                byte[] b = buffer;
                int n = ProcFs.readInto(path, b);
                if (n == b.length) { // more children than the buffer holds: read the file whole
                    String all = ProcFs.read(path);
                    b = all == null ? b : all.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
                    n = all == null ? -1 : b.length;
                }
                if (n < 0) continue; // the thread ended
                long child = -1; // the pids, separated by spaces (and maybe a newline): digits accumulate
                for (int i = 0; i <= n; i++) {
                    int c = i < n ? b[i] : ' ';
                    if (c >= '0' && c <= '9') {
                        child = (child < 0 ? 0 : child * 10) + (c - '0');
                    } else if (child >= 0) {
                        out.add(child);
                        todo.add(child);
                        child = -1;
                    }
                }
            }
        }
        return out;
    }

    /** Descendants found by the JDK's scan of every process of the machine (their parent pids). */
    private static List<Long> scanDescendants(long rootPid) {
        return ProcessHandle.of(rootPid).map(h -> h.descendants().map(ProcessHandle::pid).toList()).orElse(List.of());
    }

    /**
     * Like {@link #reading(List)} for the tree rooted at another process: its CPU (with the children
     * it has reaped), RSS and threads plus those of the given descendants. All zero once it is gone.
     */
    public static Reading readingOf(long rootPid, List<Long> descendants) {
        if (rootPid == SELF) return reading(descendants);
        ProcFs.Stat root = ProcFs.stat(rootPid);
        if (root == null) return new Reading(0, 0, 0, 0);
        long cpu = root.cpuNanosWithReapedChildren();
        long rss = root.rssBytes();
        int alive = 1;
        for (long pid : descendants) {
            ProcFs.Stat s = ProcFs.stat(pid);
            if (s == null) continue;
            alive++;
            cpu += s.cpuNanosWithReapedChildren();
            rss += s.rssBytes();
        }
        return new Reading(cpu, rss, alive, root.threads());
    }

    /** CPU nanoseconds used by this JVM and all its descendants, living or reaped. */
    public static long cpuNanos() {
        if (!PROC) return selfCpuNanos();
        return reading(descendants()).cpuNanos();
    }

    /** Resident memory of this JVM and all its live descendants, in bytes. */
    public static long rssBytes() {
        if (!PROC) return Runtime.getRuntime().totalMemory();
        return reading(descendants()).rssBytes();
    }

    /**
     * This JVM's CPU time at nanosecond precision (the MXBean), plus the time of the children it has
     * reaped (from /proc, at clock-tick precision).
     */
    private static long selfCpuNanos() {
        long own = OS.getProcessCpuTime();
        ProcFs.Stat self = ProcFs.selfStat();
        return own + (self == null ? 0 : self.reapedChildrenCpuNanos());
    }

    /**
     * Nanoseconds since this process started (the launcher's start where the JVM replaced it), from
     * its start time in /proc (clock ticks since boot) and /proc/uptime: good to a tick or two. -1
     * without /proc. {@code ProcessHandle.Info.startInstant} is not used: it adds the start time to the
     * boot time /proc/stat gives in whole seconds, an error of up to a second fixed from boot to boot.
     */
    public static long selfAgeNanos() {
        ProcFs.Stat self = PROC ? ProcFs.selfStat() : null;
        if (self == null) return -1;
        long boot = ProcFs.bootToNanoTime();
        if (boot == 0) return -1;
        return System.nanoTime() - (boot + self.startTicks() * ProcFs.TICK_NANOS);
    }

    /** Resident memory of one process, or -1 if it is gone. */
    public static long rssBytes(long pid) {
        return ProcFs.statusField(pid, "VmRSS");
    }

    /** The most resident memory this JVM alone has had since start or the last {@link #resetSelfPeak()}. */
    public static long selfPeakRssBytes() {
        return ProcFs.statusField(SELF, "VmHWM");
    }

    /** OS threads of this JVM (platform threads, JIT and GC threads included). */
    public static int selfThreads() {
        return (int) ProcFs.statusField(SELF, "Threads");
    }

    /** Number of live processes in the tree, this JVM included. */
    public static int processes() {
        return 1 + (int) ProcessHandle.current().descendants().count();
    }

    /** The highest mark {@link #resetSelfPeak()} cleared: what the process had reached before. */
    private static final java.util.concurrent.atomic.AtomicLong PEAK_BEFORE_RESETS = new java.util.concurrent.atomic.AtomicLong();

    /**
     * The most resident memory this JVM alone has had since its process started (its {@code ru_maxrss},
     * what {@code /usr/bin/time} reports), also across {@link #resetSelfPeak()}s.
     */
    public static long selfPeakRssSinceStartBytes() {
        return Math.max(PEAK_BEFORE_RESETS.get(), selfPeakRssBytes());
    }

    /** Resets this JVM's peak-RSS mark (VmHWM) so a trial measures its own peak; false if not allowed. */
    public static boolean resetSelfPeak() {
        PEAK_BEFORE_RESETS.accumulateAndGet(selfPeakRssBytes(), Math::max);
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
