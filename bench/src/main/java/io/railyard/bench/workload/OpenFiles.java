package io.railyard.bench.workload;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The open-files limit a connections workload ({@link ConnectionsWorkload}) needs. Every held connection is a socket on each
 * side: in the client (one process, or spread over worker processes) and in the echo server, a
 * process this command starts with the same limit. So C connections need C descriptors in the
 * server alone, besides the ones a JVM holds anyway (its jars, epoll, pipes: {@link #HEADROOM}).
 * Above the limit, connections fail with "too many open files" only after the hold timeout; the
 * workload refuses such a run at once instead ({@code run connections} exits 2, compare skips the
 * cell), with the limit and how to raise it.
 *
 * <p>The limit is read from the JVM ({@code getMaxFileDescriptorCount}): on Linux and macOS the
 * JVM raises its soft limit to the hard one at start ({@code -XX:+MaxFDLimit}, the default), and a
 * server it starts inherits that. Stateless; thread-safe.
 */
public final class OpenFiles {
    private OpenFiles() {}

    /** Descriptors a JVM of railyard's holds besides the connections: its jars, epoll, pipes, logs. */
    public static final int HEADROOM = 256;

    /** This process's open-files limit, or -1 where the platform does not say (Windows). */
    public static long limit() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix
                ? unix.getMaxFileDescriptorCount() : -1;
    }

    /**
     * Why {@code connections} held at once cannot run in processes under {@code limit} open files,
     * or null if they fit (or the limit is unknown: -1).
     */
    public static String refusal(int connections, long limit) {
        if (limit < 0 || (long) connections + HEADROOM <= limit) return null;
        if (limit <= HEADROOM) // not even one connection fits: no -c to offer
            return String.format(Locale.ROOT,
                    "-c %d holds %d connections, but a process here may open at most %d files (the open-files limit, ulimit -n),"
                            + " no more than a JVM of railyard's holds besides them (%d): raise the limit (ulimit -n, or the hard"
                            + " one: ulimit -Hn, or nofile in /etc/security/limits.conf) to at least %d",
                    connections, connections, limit, HEADROOM, (long) connections + HEADROOM);
        return String.format(Locale.ROOT,
                "-c %d holds %d connections, a socket each in this client and in the echo server, but a process here may open"
                        + " at most %d files (the open-files limit, ulimit -n): give -c %d or less, or raise the hard limit"
                        + " (ulimit -Hn, or nofile in /etc/security/limits.conf) to at least %d",
                connections, connections, limit, limit - HEADROOM, (long) connections + HEADROOM);
    }
}
