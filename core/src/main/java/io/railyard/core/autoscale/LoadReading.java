package io.railyard.core.autoscale;

/**
 * One reading of what the run costs right now, taken by a {@link LoadSource} on every autoscaler
 * sample. Immutable.
 *
 * @param rssBytes                  resident memory of the whole process tree (this JVM and its descendants)
 * @param cpuNanos                  CPU time the tree has used since some fixed origin (cumulative; only
 *                                  differences between readings mean anything)
 * @param descendantsRssBytes       the part of {@code rssBytes} held by descendant processes
 * @param largestDescendantRssBytes the RSS of the biggest descendant (a worker JVM of {@code processes})
 * @param lagNanos                  the event loop's current lag, or -1 when no loop is measured
 */
public record LoadReading(long rssBytes, long cpuNanos, long descendantsRssBytes, long largestDescendantRssBytes,
                          long lagNanos) {

    /** A reading of a tree without descendants or loop: what most tests feed. */
    public static LoadReading of(long rssBytes, long cpuNanos) {
        return new LoadReading(rssBytes, cpuNanos, 0, 0, -1);
    }

    public LoadReading withLagNanos(long lagNanos) {
        return new LoadReading(rssBytes, cpuNanos, descendantsRssBytes, largestDescendantRssBytes, lagNanos);
    }
}
