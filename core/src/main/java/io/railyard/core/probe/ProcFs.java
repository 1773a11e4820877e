package io.railyard.core.probe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small readers of Linux /proc files. Stateless and thread-safe; every method returns -1 when a file is unreadable. */
final class ProcFs {
    private ProcFs() {}

    /** Clock ticks per second, from the auxiliary vector (AT_CLKTCK = 17); 100 if unreadable. */
    static final long CLOCK_TICKS = clockTicks();

    private static long clockTicks() {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(Path.of("/proc/self/auxv"))).order(ByteOrder.nativeOrder());
            while (b.remaining() >= 16) {
                long type = b.getLong(), value = b.getLong();
                if (type == 17 && value > 0) return value;
                if (type == 0) break;
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux, or auxv hidden: fall through to the usual value
        }
        return 100;
    }

    /** CPU time of the children a process has waited for (fields 16-17 of /proc/PID/stat), nanoseconds. */
    static long reapedChildrenCpuNanos(long pid) {
        String[] f = statFields(pid);
        if (f == null) return -1;
        return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 1_000_000_000L / CLOCK_TICKS;
    }

    /** Fields of /proc/PID/stat from field 3 (state) on, or null if the process is gone. */
    private static String[] statFields(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        if (stat == null) return null;
        // the command name (field 2) may contain spaces and parentheses: fields start after the last ')'
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    /**
     * CPU time of a process in nanoseconds: its own user+system time plus that of its children it
     * has waited for (fields 14-17 of /proc/PID/stat). -1 if the process is gone.
     */
    static long cpuNanosWithReapedChildren(long pid) {
        String[] f = statFields(pid);
        if (f == null) return -1;
        // f[0] is field 3 (state); utime is field 14 -> f[11]
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]);
        return ticks * 1_000_000_000L / CLOCK_TICKS;
    }

    /** A "Name:   value kB" field of /proc/PID/status in bytes (or as a plain number without kB); -1 if absent. */
    static long statusField(long pid, String name) {
        return field(read(Path.of("/proc", Long.toString(pid), "status")), name);
    }

    /** A field of an already read /proc/PID/status text; -1 if absent. */
    static long field(String status, String name) {
        if (status == null) return -1;
        int i = status.indexOf("\n" + name + ":");
        if (i < 0) return -1;
        int start = i + name.length() + 2, end = status.indexOf('\n', start);
        String v = status.substring(start, end < 0 ? status.length() : end).trim();
        if (v.endsWith("kB")) return Long.parseLong(v.substring(0, v.length() - 2).trim()) * 1024;
        return Long.parseLong(v.split("\\s+")[0]);
    }

    static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
