package io.railyard.core;

/**
 * A pool whose workers are costly enough (a JVM each, for {@code processes}) that the
 * {@link io.railyard.core.autoscale.AutoscaledPool} sets how many are alive, so that a worker is
 * started only when one fits in the memory budget and retired before memory reaches it. Models
 * whose workers cost next to nothing (threads started lazily, virtual threads, the loop) do not
 * implement it: the autoscaler's gate on tasks is enough for them.
 *
 * <p>Thread-safe: {@link #resize} may be called from any thread, at any time while the pool runs.
 */
public interface Resizable {

    /**
     * The {@link PoolSpec} option a resizable model reads for how many workers to start at open
     * (default: its concurrency). The autoscaler opens such a model with 1 and resizes it as memory allows.
     */
    String INITIAL_WORKERS_OPTION = "initialWorkers";

    /**
     * Keeps {@code workers} workers (at least 1, at most the pool's concurrency): starts missing ones
     * in the background, retires idle surplus ones at once and busy ones as soon as their task ends.
     * Never stops a running task.
     */
    void resize(int workers);

    /** Workers serving now: started and ready for tasks (one still starting is not counted). */
    int workers();
}
