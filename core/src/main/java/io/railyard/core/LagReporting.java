package io.railyard.core;

/**
 * A pool that measures how late its event loop runs what is due (the {@code loop} model). The
 * {@link io.railyard.core.autoscale.AutoscaledPool} reads it on each sample and scales down when
 * the loop falls behind, as Crawlee does with Node's event loop. Thread-safe.
 */
public interface LagReporting {

    /** How late, in nanoseconds, the loop ran its latest timer check; 0 when it keeps up. */
    long lagNanos();
}
