package io.railyard.core;

/**
 * A pool that adapts to how the servers its tasks talk to answer: the
 * {@link io.railyard.core.autoscale.AutoscaledPool}, to which a share of 429/503 answers says
 * "slow down". Whoever sees the answers (a task, or the code reading its result) tells the pool,
 * found with {@code pool.capability(OverloadFeedback.class)}.
 *
 * <p>Thread-safe and cheap: may be called from any thread, once per answer.
 */
public interface OverloadFeedback {

    /** A server answered with {@code httpStatus}: 429 (Too Many Requests) and 503 (Service Unavailable) say overloaded. */
    void reportResponse(int httpStatus);

    /** A server answered; {@code overloaded} when it said to slow down. */
    void reportOverload(boolean overloaded);
}
