package io.railyard.core;

/**
 * The lifecycle of a {@link TaskPool}. Transitions only move forward:
 *
 * <pre>
 *   RUNNING --close()--------> DRAINING --(last task done)--> TERMINATED
 *   RUNNING --shutdownNow()--> STOPPING --(workers gone)----> TERMINATED
 *   DRAINING --shutdownNow()-> STOPPING
 * </pre>
 *
 * Only {@code RUNNING} accepts new tasks.
 */
public enum PoolState {
    /** Accepts tasks and runs them. */
    RUNNING,
    /** {@link TaskPool#close()} was called: no new tasks, queued and running ones finish. */
    DRAINING,
    /** {@link TaskPool#shutdownNow()} was called: queued tasks were cancelled, running ones are being stopped. */
    STOPPING,
    /** Every task has finished and every worker is gone. */
    TERMINATED
}
