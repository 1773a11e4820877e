package io.railyard.core;

import java.util.concurrent.Executor;

/**
 * What a running task may ask of the model that runs it. Valid only while the task runs; the same
 * thread-confinement rules as the task apply (on {@code loop}, call it from the loop thread only).
 */
public interface TaskContext {

    /** The id the pool gave this task at submit, unique within the pool. */
    long taskId();

    /** The worker running this task: a thread index, a process index, or 0 for the one loop. */
    int worker();

    /**
     * Where continuations of an asynchronous task belong. On {@code loop} this is the event loop
     * itself (running a callback elsewhere breaks the model's no-locks promise); on the blocking
     * models it runs callbacks in the calling thread.
     */
    Executor executor();

    /**
     * A facility the model offers to tasks, such as the loop's non-blocking HTTP client.
     *
     * @throws IllegalStateException naming the model and the facility when this model has none
     */
    <F> F facility(Class<F> type);
}
