package io.railyard.core.processes;

import io.railyard.core.probe.ContainerLimits;

import java.util.Locale;

/**
 * How many worker JVMs a {@link ProcessPool} may start: never more than memory allows, the
 * measured footprint of a worker times the workers within the pool's memory allowance (option
 * {@code maxMemoryBytes}, e.g. a run's memory budget, else {@value #MACHINE_SHARE} of the
 * container's or machine's memory). A pool that would need more is refused at open, in one line
 * naming the numbers and the fix, before it spawns them: a million workers asked for by mistake
 * must not fork a few hundred JVMs first.
 *
 * <p>The check needs a worker's footprint, known only once one runs. Opening a pool whose workers
 * fit even at {@link #FOOTPRINT_PRIOR_BYTES} each starts them all at once, as before; otherwise the
 * pool starts one, measures it, and decides. Immutable.
 */
final class WorkerCap {

    /**
     * A worker's resident memory assumed before one is measured: below the 35-45 MiB a worker has
     * at Ready here (serial GC, small heap), so the prior never refuses what a measurement would
     * allow; it only decides whether a measurement is needed first.
     */
    static final long FOOTPRINT_PRIOR_BYTES = 32L << 20;
    /** Without a budget, workers may use this share of the container's (or machine's) memory. */
    static final double MACHINE_SHARE = 0.8;

    private final long allowanceBytes;
    private final String allowance;

    private WorkerCap(long allowanceBytes, String allowance) {
        this.allowanceBytes = allowanceBytes;
        this.allowance = allowance;
    }

    /** The cap of a pool with these options. */
    static WorkerCap of(ProcessPoolOptions o) {
        if (o.maxMemoryBytes() > 0) return new WorkerCap(o.maxMemoryBytes(), "the pool's memory allowance of " + mib(o.maxMemoryBytes()));
        ContainerLimits limits = ContainerLimits.read();
        long whole = limits.effectiveMemoryBytes();
        return new WorkerCap((long) (whole * MACHINE_SHARE), String.format(Locale.ROOT, "%.0f%% of the %s %s", MACHINE_SHARE * 100,
                limits.memoryLimitBytes().isPresent() ? "container's" : "machine's", mib(whole)));
    }

    /** Whether {@code workers} fit even at the prior footprint, so no measurement is needed first. */
    boolean fitsByPrior(int workers) {
        return (double) workers * FOOTPRINT_PRIOR_BYTES <= allowanceBytes;
    }

    /** The most workers of {@code footprintBytes} each that fit (at least 1: one worker always may run). */
    int most(long footprintBytes) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, allowanceBytes / Math.max(1, footprintBytes)));
    }

    /** Why {@code workers} of {@code footprintBytes} each are refused. */
    IllegalArgumentException refusal(int workers, long footprintBytes) {
        int most = most(footprintBytes);
        return new IllegalArgumentException(String.format(Locale.ROOT,
                "the processes pool would start %d worker JVMs of about %s each (%s), and memory allows %d (%s):"
                        + " give a concurrency (-c) of %d or less", workers, mib(footprintBytes), mib((double) workers * footprintBytes),
                most, allowance, most));
    }

    private static String mib(double bytes) {
        return bytes >= (1L << 40) ? String.format(Locale.ROOT, "%.1f TiB", bytes / (1L << 40))
                : bytes >= (1L << 30) ? String.format(Locale.ROOT, "%.1f GiB", bytes / (1L << 30))
                : String.format(Locale.ROOT, "%.0f MiB", bytes / (1L << 20));
    }
}
