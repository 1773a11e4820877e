package io.railyard.core;

import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs tasks under one concurrency model, at most {@link #concurrency()} at a time. This is Java's
 * counterpart of Python's {@code concurrent.futures.Executor}, and every railyard model implements
 * it: {@code threads}, {@code virtual}, {@code processes}, {@code loop}, {@code cluster}.
 *
 * <h2>Submitting</h2>
 * {@link #submit(BlockingTask)} runs ordinary blocking code; {@link #submitAsync(AsyncTask)} runs a
 * task that returns a {@link java.util.concurrent.CompletionStage} built from non-blocking
 * operations. Both return a {@link TaskFuture}: a {@code CompletableFuture} whose {@code cancel}
 * stops the task. A task's exception completes its future exceptionally with that exception as the
 * cause ({@code get()} throws an {@code ExecutionException} whose cause is it).
 *
 * <h2>Mapping</h2>
 * {@link #map} applies a function to every input and yields results in input order;
 * {@link #mapUnordered} yields them as they finish. Both read the inputs lazily and keep at most
 * {@link MapOptions#prefetch()} inputs in flight, so a million inputs never become a million
 * queued futures. {@link #asCompleted} turns a collection of futures into an iteration in completion
 * order, like Python's {@code as_completed}.
 *
 * <h2>Timeouts and cancellation</h2>
 * A timeout bounds a task's <em>running</em> time (queue time does not count): when it elapses the
 * future fails with a {@link java.util.concurrent.TimeoutException} and the model stops the task as
 * it stops a cancelled one. Time is read from the pool's {@link io.railyard.core.time.TimeSource},
 * so tests drive timeouts with a manual clock.
 *
 * <h2>Shutting down</h2>
 * {@link #close()} stops accepting tasks, lets every queued and running task finish, then releases
 * the workers (it drains, like {@code ExecutorService.close()}); {@link #shutdown()} does the same
 * without waiting. {@link #shutdownNow()} cancels every queued task, stops the running ones and
 * returns without waiting. After any of them, submitting throws {@link RejectedExecutionException}.
 * See {@link PoolState} for the lifecycle. Code that expects an {@code Executor} takes
 * {@link #asExecutorService()}.
 *
 * <h2>Capabilities</h2>
 * What a pool can do beyond this interface is a type it implements, asked for with
 * {@link #capability}: {@link Resizable} (its workers can be started and retired),
 * {@link SingleEventLoop} (its tasks share one event-loop thread), {@link LagReporting} (it
 * measures its loop's lag), {@link OverloadFeedback} (it adapts to servers' answers),
 * {@link io.railyard.core.probe.RemoteResources} (its tasks run on machines outside this process
 * tree, whose use it can read). Ask
 * {@link #capability} or {@link #has} rather than comparing {@link #model()} names or testing
 * {@code instanceof}: a pool that drives another (the autoscaled pool) answers for the pool it
 * drives where the capability holds for it as a whole. Before a pool is opened,
 * {@link ModelProvider#has} answers for the model.
 *
 * <h2>Thread-safety</h2>
 * Every method may be called from any thread, except that a task must not call {@link #close()} on
 * its own pool (it would wait for itself).
 */
public interface TaskPool extends AutoCloseable {

    /** The model's name: {@code threads}, {@code virtual}, {@code processes}, {@code loop}, ... */
    String model();

    /** The most tasks that run at once. */
    int concurrency();

    /** Where the pool is in its lifecycle. */
    PoolState state();

    /** This pool as {@code capability} (see Capabilities above), or empty when it does not have it. */
    default <C> Optional<C> capability(Class<C> capability) {
        return capability.isInstance(this) ? Optional.of(capability.cast(this)) : Optional.empty();
    }

    /** Whether this pool has {@code capability}: {@code capability(capability).isPresent()}. */
    default boolean has(Class<?> capability) {
        return capability(capability).isPresent();
    }

    /**
     * Queues a blocking task.
     *
     * @throws RejectedExecutionException if the pool no longer accepts tasks, or (for models that
     *                                    copy tasks to another process) the task cannot be encoded
     */
    default <T> TaskFuture<T> submit(BlockingTask<T> task) {
        return submit(task, null);
    }

    /** Queues a blocking task whose running time is bounded by {@code timeout} ({@code null}: none). */
    <T> TaskFuture<T> submit(BlockingTask<T> task, Duration timeout);

    /** Queues an asynchronous task. */
    default <T> TaskFuture<T> submitAsync(AsyncTask<T> task) {
        return submitAsync(task, null);
    }

    /** Queues an asynchronous task whose running time is bounded by {@code timeout} ({@code null}: none). */
    <T> TaskFuture<T> submitAsync(AsyncTask<T> task, Duration timeout);

    /**
     * Applies {@code fn} to every input and returns the results in input order. Inputs are read as
     * the results are consumed; at most {@code options.prefetch()} are in flight. Iterating throws
     * {@link TaskFailedException} at the first failed input; closing the returned iterator cancels
     * whatever is still in flight.
     */
    default <I, O> MapIterator<O> map(Iterator<? extends I> inputs, TaskFunction<? super I, ? extends O> fn, MapOptions options) {
        return MapIterator.ordered(this, inputs, fn, options);
    }

    default <I, O> MapIterator<O> map(Iterable<? extends I> inputs, TaskFunction<? super I, ? extends O> fn) {
        return map(inputs.iterator(), fn, MapOptions.DEFAULT);
    }

    /** Like {@link #map} but yields each result as soon as its task finishes. */
    default <I, O> MapIterator<O> mapUnordered(Iterator<? extends I> inputs, TaskFunction<? super I, ? extends O> fn, MapOptions options) {
        return MapIterator.unordered(this, inputs, fn, options);
    }

    default <I, O> MapIterator<O> mapUnordered(Iterable<? extends I> inputs, TaskFunction<? super I, ? extends O> fn) {
        return mapUnordered(inputs.iterator(), fn, MapOptions.DEFAULT);
    }

    /**
     * Yields the given futures in the order they complete (Python's {@code as_completed}). With a
     * timeout, iteration throws {@link java.util.concurrent.CompletionException} wrapping a
     * {@link java.util.concurrent.TimeoutException} if the next future is not done in time.
     */
    static <F extends CompletableFuture<?>> Iterable<F> asCompleted(Collection<F> futures, Duration timeout) {
        return () -> new CompletionOrder<>(futures, timeout);
    }

    static <F extends CompletableFuture<?>> Iterable<F> asCompleted(Collection<F> futures) {
        return asCompleted(futures, null);
    }

    /**
     * Stops accepting tasks, waits for every queued and running task to finish, then releases the
     * workers. Idempotent. Interrupting the caller stops the wait and leaves the pool draining.
     */
    @Override
    void close();

    /**
     * Stops accepting tasks and returns at once; queued and running tasks go on to the end, then
     * the workers are released ({@link #awaitTermination} waits for that). Idempotent.
     */
    void shutdown();

    /**
     * Cancels every queued task, stops every running one, and returns without waiting. The
     * returned futures are those of tasks that never started.
     */
    List<TaskFuture<?>> shutdownNow();

    /** Waits until the pool is {@link PoolState#TERMINATED}; returns false if the time ran out. */
    boolean awaitTermination(Duration timeout) throws InterruptedException;

    /**
     * This pool as an {@link ExecutorService}, for code that expects one: each
     * {@code Runnable} or {@code Callable} is a blocking task of this pool (in a worker process, or
     * on a cluster member, it must be serializable and its class allowed; on the loop it runs on the
     * loop thread), its future the task's, whose {@code cancel} stops it as this model does. A view:
     * shutting it down shuts the pool down, and {@code shutdownNow} hands back the tasks that never
     * started as given ({@code execute}, {@code submit(Runnable)}) or as a {@code FutureTask} of the
     * {@code Callable}. A task given to {@code execute} that throws is reported to the uncaught
     * exception handler of the thread that saw it end, as an executor's worker thread would be.
     */
    default ExecutorService asExecutorService() {
        return new TaskPoolExecutorService(this);
    }
}
