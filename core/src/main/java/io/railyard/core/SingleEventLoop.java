package io.railyard.core;

/**
 * A pool that runs every task on one event-loop thread: the {@code loop} model, and an autoscaled
 * pool driving it. Its tasks should be {@link AsyncTask}s built from non-blocking operations (the
 * facilities a task finds with {@link TaskContext#facility}); a blocking call holds every other
 * task for as long as it blocks. Callers ask {@code pool.has(SingleEventLoop.class)}, or
 * {@code Models.get(name).has(SingleEventLoop.class)} before opening one, to choose between the
 * asynchronous and the blocking form of their tasks.
 *
 * <p>A capability without methods: see {@link TaskPool#capability}.
 */
public interface SingleEventLoop {
}
