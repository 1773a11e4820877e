package io.railyard.core.probe;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small readers of Linux /proc files. Thread-safe; a reading of an unreadable file is -1 (numbers) or null (records). */
final class ProcFs {
    private ProcFs() {}

    /** Clock ticks per second, from the auxiliary vector (AT_CLKTCK = 17); 100 if unreadable. */
    static final long CLOCK_TICKS = auxv(17, 100);

    /** Nanoseconds per clock tick: the unit of every CPU time /proc gives. */
    static final long TICK_NANOS = 1_000_000_000L / CLOCK_TICKS;

    /**
     * How far {@link System#nanoTime()} is ahead of the clock of /proc's start times (time since
     * boot, from /proc/uptime): a start time in ticks plus this is a nanoTime reading. Good to a tick
     * or two (uptime has 10 ms steps); 0 where /proc/uptime cannot be read.
     */
    static long bootToNanoTime() {
        String up = read("/proc/uptime");
        if (up == null) return 0;
        try {
            double seconds = Double.parseDouble(up.substring(0, up.indexOf(' ')).trim());
            return System.nanoTime() - (long) (seconds * 1e9);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Bytes per memory page, from the auxiliary vector (AT_PAGESZ = 6); 4096 if unreadable. */
    static final long PAGE_SIZE = auxv(6, 4096);

    private static long auxv(long key, long fallback) {
        try {
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(Path.of("/proc/self/auxv"))).order(ByteOrder.nativeOrder());
            while (b.remaining() >= 16) {
                long type = b.getLong(), value = b.getLong();
                if (type == key && value > 0) return value;
                if (type == 0) break;
            }
        } catch (IOException | RuntimeException ignored) {
            // not Linux, or auxv hidden: fall through to the usual value
        }
        return fallback;
    }

    /**
     * What a sampler needs of one process, all from its /proc/PID/stat (one small read, where
     * /proc/PID/status is a larger text and needs a second read for the CPU).
     *
     * @param ownTicks            user + system time (fields 14-15)
     * @param reapedChildrenTicks user + system time of the children it has waited for (fields 16-17)
     * @param threads             field 20
     * @param rssBytes            resident set (field 24, pages; the same count as VmRSS)
     * @param startTicks          when the process started, clock ticks after boot (field 22)
     * @param tickFields          how many of fields 14-17 are not zero: each is the kernel's
     *                            nanosecond count cut to whole ticks, so a sum of them reads up to
     *                            this many ticks short
     */
    record Stat(long ownTicks, long reapedChildrenTicks, int threads, long rssBytes, long startTicks, int tickFields) {

        long cpuNanosWithReapedChildren() {
            return (ownTicks + reapedChildrenTicks) * 1_000_000_000L / CLOCK_TICKS;
        }

        long reapedChildrenCpuNanos() {
            return reapedChildrenTicks * 1_000_000_000L / CLOCK_TICKS;
        }
    }

    /** The stat of a process, or null if it is gone. */
    static Stat stat(long pid) {
        byte[] b = new byte[1024];
        int n = readInto("/proc/" + pid + "/stat", b);
        return n < 0 ? null : parseStat(b, n);
    }

    /**
     * This process's /proc/self/stat, kept open: reading it again from offset 0 (the kernel renders
     * it afresh) cost 24 us per sample here, where opening it each time through {@code Files}
     * cost 150-280 us, which at 50 samples a second is CPU charged to whatever is being measured.
     * A {@link RandomAccessFile}, not a {@code FileChannel}: a channel is closed for good when a
     * thread reading it is interrupted (a sampler is stopped by interrupting it), and every later
     * reading of this JVM's memory and CPU would be lost. Guarded by itself (seek, then read).
     */
    private static final RandomAccessFile SELF_STAT = openSelfStat();

    private static RandomAccessFile openSelfStat() {
        try {
            return new RandomAccessFile("/proc/self/stat", "r");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The stat of this process, or null if /proc is unreadable. Thread-safe. */
    static Stat selfStat() {
        if (SELF_STAT == null) return null;
        byte[] b = new byte[2048];
        int n = 0;
        try {
            synchronized (SELF_STAT) {
                SELF_STAT.seek(0);
                for (int r; n < b.length && (r = SELF_STAT.read(b, n, b.length - n)) > 0; ) n += r;
            }
            return parseStat(b, n);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Fields 14-17, 20 and 24 of a stat line, parsed from the bytes without a string per field (it
     * runs 50 times a second). The command name (field 2) may contain spaces and parentheses:
     * fields are counted from the last ')'.
     */
    private static Stat parseStat(byte[] b, int length) {
        int i = length - 1;
        while (i >= 0 && b[i] != ')') i--;
        if (i < 0) return null;
        long[] v = new long[25]; // fields 3..24 by number; field 3 (state) is not a number and stays 0
        int field = 3;
        for (i += 2; i < length && field <= 24; i++) {
            byte c = b[i];
            if (c == ' ') field++;
            else if (c >= '0' && c <= '9') v[field] = v[field] * 10 + (c - '0');
        }
        int fields = 0;
        for (int f = 14; f <= 17; f++) if (v[f] > 0) fields++;
        return new Stat(v[14] + v[15], v[16] + v[17], (int) v[20], v[24] * PAGE_SIZE, v[22], fields);
    }

    static Stat parseStat(String stat) {
        if (stat == null) return null;
        byte[] b = stat.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        return parseStat(b, b.length);
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

    /**
     * CPU time the whole machine has spent busy since boot, every core and process together: the
     * first line of /proc/stat, user + nice + system + irq + softirq + steal (idle and iowait left
     * out; guest time is inside user already), in nanoseconds; -1 where it cannot be read.
     */
    static long machineBusyNanos() {
        String stat = read("/proc/stat");
        if (stat == null || !stat.startsWith("cpu ")) return -1;
        int eol = stat.indexOf('\n');
        String[] f = stat.substring(4, eol < 0 ? stat.length() : eol).trim().split("\\s+");
        if (f.length < 8) return -1;
        try {
            long ticks = 0;
            for (int i : new int[]{0, 1, 2, 5, 6, 7}) ticks += Long.parseLong(f[i]); // user nice system . . irq softirq steal
            return ticks * 1_000_000_000L / CLOCK_TICKS;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** A small /proc file whole, or null if it cannot be read. */
    static String read(Path p) {
        return read(p.toString());
    }

    /**
     * A small /proc file whole, or null if it cannot be read: through a {@link RandomAccessFile}
     * rather than {@code Files}, whose channels and file-system paths cost a sampler several times
     * the CPU per read and, in a fresh JVM, a few hundred methods for the JIT to compile while the
     * work being measured runs (measured: 115-130 us per sample of a tree of three processes, and
     * ~22 ms for the first 30 samples, with {@code Files}).
     */
    static String read(String path) {
        byte[] b = new byte[4096];
        while (true) {
            int n = readInto(path, b);
            if (n < 0) return null;
            if (n < b.length) return new String(b, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
            b = new byte[b.length * 4]; // a longer file than the buffer: read it again whole
        }
    }

    /** Reads {@code path} into {@code b} from its start: the bytes read (at most {@code b.length}), or -1. */
    static int readInto(String path, byte[] b) {
        int n = 0;
        try (RandomAccessFile f = new RandomAccessFile(path, "r")) {
            for (int r; n < b.length && (r = f.read(b, n, b.length - n)) > 0; ) n += r;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return n;
    }
}
