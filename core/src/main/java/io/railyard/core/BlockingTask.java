package io.railyard.core;

import java.io.Serializable;

/**
 * A job that runs to completion on the thread that calls it, blocking while it waits: the shape of
 * ordinary code, like {@link java.util.concurrent.Callable}.
 *
 * <p>Every model runs blocking tasks. On {@code threads}, {@code virtual} and {@code processes} that
 * is their natural shape; on {@code loop} a blocking task occupies the one loop thread for its whole
 * run, which the loop detects and reports (the seed's "all awaited tasks are long-running ones").
 *
 * <p>The interface is {@link Serializable} so that a lambda can travel to a worker process; models
 * that stay in one JVM never serialize it.
 */
@FunctionalInterface
public interface BlockingTask<T> extends Serializable {
    T call() throws Exception;
}
