package io.railyard.core.probe;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private ProcessTreeProbe() {}

    public static boolean supported() {
        return PROC;
    }

    /** Pids of the live descendants of this JVM. */
    public static List<Long> descendants() {
        return ProcessHandle.current().descendants().map(ProcessHandle::pid).toList();
    }

    /** CPU nanoseconds used by this JVM and all its descendants, living or reaped. */
    public static long cpuNanos() {
        if (!PROC) return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
        long total = Math.max(0, ProcFs.cpuNanosWithReapedChildren(SELF));
        for (long pid : descendants()) total += Math.max(0, ProcFs.cpuNanosWithReapedChildren(pid));
        return total;
    }

    /** Resident memory of this JVM and all its live descendants, in bytes. */
    public static long rssBytes() {
        if (!PROC) return Runtime.getRuntime().totalMemory();
        long total = Math.max(0, ProcFs.statusField(SELF, "VmRSS"));
        for (long pid : descendants()) total += Math.max(0, ProcFs.statusField(pid, "VmRSS"));
        return total;
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

    /** Resets this JVM's peak-RSS mark (VmHWM) so a trial measures its own peak; false if not allowed. */
    public static boolean resetSelfPeak() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
