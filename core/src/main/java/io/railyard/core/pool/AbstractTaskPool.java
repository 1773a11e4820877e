package io.railyard.core.pool;

import io.railyard.core.AsyncTask;
import io.railyard.core.BlockingTask;
import io.railyard.core.PoolSpec;
import io.railyard.core.PoolState;
import io.railyard.core.TaskFuture;
import io.railyard.core.TaskPool;
import io.railyard.core.time.TimeSource;
import io.railyard.core.trace.TraceRecorder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What every model shares: the lifecycle ({@link PoolState}), task ids, the count of unfinished
 * tasks, timeouts, cancellation bookkeeping and tracing. A model supplies three things:
 * <ul>
 *   <li>{@link #dispatch}: queue a {@link TaskRun} and eventually start it on a worker (with
 *       {@link TaskRun#runBlocking}, {@link TaskRun#runAsync}, or by sending it to a process and
 *       calling {@link TaskRun#complete}/{@link TaskRun#fail} with the answer);</li>
 *   <li>{@link #stopRunning}: stop one running task (interrupt, kill the worker, abandon);</li>
 *   <li>{@link #releaseWorkers}: let the workers go once nothing is left to run.</li>
 * </ul>
 *
 * <h2>Accounting</h2>
 * {@code outstanding} counts tasks accepted and not yet {@code DONE}. It is incremented before the
 * state is checked on submit, and the state is set before it is read on close, so a task is either
 * rejected or waited for, never lost. The thread that brings it to zero after close or shutdownNow
 * releases the workers and moves the pool to {@link PoolState#TERMINATED}.
 *
 * <p>Thread-safe: every public method may be called from any thread.
 */
public abstract class AbstractTaskPool implements TaskPool {

    protected final String model;
    protected final int concurrency;
    protected final TimeSource time;
    protected final TraceRecorder trace;

    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong outstanding = new AtomicLong();
    /** Every task accepted and not yet done. */
    private final LiveRuns live = new LiveRuns();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition terminated = lock.newCondition();
    private volatile PoolState state = PoolState.RUNNING;
    private boolean released; // guarded by lock
    /** The thread {@link #releaseOnOwnThread} started, if any. */
    private volatile Thread releaser;

    protected AbstractTaskPool(String model, PoolSpec spec) {
        this.model = model;
        this.concurrency = spec.concurrency();
        this.time = spec.time();
        this.trace = spec.trace();
    }

    @Override
    public final String model() {
        return model;
    }

    @Override
    public final int concurrency() {
        return concurrency;
    }

    @Override
    public final PoolState state() {
        return state;
    }

    /** Tasks accepted and not yet finished (queued + running). */
    public final long outstanding() {
        return outstanding.get();
    }

    @Override
    public final <T> TaskFuture<T> submit(BlockingTask<T> task, Duration timeout) {
        return accept(Objects.requireNonNull(task, "task"), timeout);
    }

    @Override
    public final <T> TaskFuture<T> submitAsync(AsyncTask<T> task, Duration timeout) {
        return accept(Objects.requireNonNull(task, "task"), timeout);
    }

    private <T> TaskFuture<T> accept(Object task, Duration timeout) {
        if (timeout != null && (timeout.isNegative() || timeout.isZero()))
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
        outstanding.incrementAndGet();
        if (state != PoolState.RUNNING) {
            taskGone();
            throw new RejectedExecutionException("the " + model + " pool is " + state.name().toLowerCase()
                    + " and accepts no new tasks: submit before close() or shutdownNow()");
        }
        beforeAccept(task);
        TaskRun<T> run = new TaskRun<>(this, ids.incrementAndGet(), task, timeout);
        live.add(run);
        try {
            dispatch(run);
        } catch (RuntimeException | Error e) {
            live.remove(run);
            taskGone();
            throw e;
        }
        return run.future();
    }

    /**
     * A hook to refuse a task before it is accepted, e.g. one that cannot be encoded for another
     * process; throw {@link RejectedExecutionException} naming the reason. Default: accept all.
     * When it throws, the task is not counted.
     */
    protected void beforeAccept(Object task) {}

    /** Queues the run; starts it when a worker is free. Called on the submitting thread. */
    protected abstract void dispatch(TaskRun<?> run);

    /** Stops a running task: it was cancelled with interrupt, or it timed out. Any thread. */
    protected abstract void stopRunning(TaskRun<?> run);

    /**
     * The pool is closing and no task is left: let the workers go (without waiting for them; that
     * is {@link #joinWorkers}). Called once, on whichever thread finished the last task, or on the
     * closing thread.
     */
    protected abstract void releaseWorkers();

    /**
     * Waits, bounded, for released workers to be gone. Called by {@link #close()}. Default: joins
     * the thread {@link #releaseOnOwnThread} started, if any.
     */
    protected void joinWorkers(Duration timeout) throws InterruptedException {
        Thread t = releaser;
        if (t != null) t.join(timeout);
    }

    /**
     * For {@link #releaseWorkers}: runs {@code release} on a new daemon thread named {@code name}.
     * For a pool whose release waits (it closes an inner pool, stops an engine) while
     * {@code releaseWorkers} may run on one of the threads that wait would be for (the one that
     * finished the last task). {@link #close()} joins it through {@link #joinWorkers}. Once per pool.
     */
    protected final void releaseOnOwnThread(String name, Runnable release) {
        Thread t = new Thread(release, name);
        t.setDaemon(true);
        releaser = t;
        t.start();
    }

    /** Called after every task reaches DONE; {@code started} is false for tasks cancelled in the queue. */
    protected void afterTask(TaskRun<?> run, boolean started) {}

    /** Where asynchronous continuations run ({@link io.railyard.core.TaskContext#executor()}). */
    protected Executor taskExecutor() {
        return Runnable::run;
    }

    /** A facility for tasks; default: none. */
    protected <F> F facility(Class<F> type) {
        throw InlineTaskContext.noFacility(model, type);
    }

    final void taskDone(TaskRun<?> run, boolean started) {
        live.remove(run);
        try {
            afterTask(run, started);
        } finally {
            taskGone();
        }
    }

    private void taskGone() {
        if (outstanding.decrementAndGet() == 0 && state != PoolState.RUNNING) maybeTerminate();
    }

    private void maybeTerminate() {
        lock.lock();
        try {
            if (released || state == PoolState.RUNNING || outstanding.get() != 0) return;
            released = true;
            releaseWorkers();
            state = PoolState.TERMINATED;
            terminated.signalAll();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public final void shutdown() {
        lock.lock();
        try {
            if (state == PoolState.RUNNING) state = PoolState.DRAINING;
        } finally {
            lock.unlock();
        }
        maybeTerminate();
    }

    @Override
    public final void close() {
        shutdown();
        try {
            awaitTermination(null);
            joinWorkers(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public final List<TaskFuture<?>> shutdownNow() {
        lock.lock();
        try {
            if (state == PoolState.RUNNING || state == PoolState.DRAINING) state = PoolState.STOPPING;
        } finally {
            lock.unlock();
        }
        List<TaskFuture<?>> neverStarted = new ArrayList<>();
        List<TaskRun<?>> runs = live.snapshot();
        runs.sort(Comparator.comparingLong(TaskRun::taskId)); // in the order they were submitted
        for (TaskRun<?> run : runs) {
            if (run.cancelQueued()) neverStarted.add(run.future());
        }
        for (TaskRun<?> run : runs) run.future().cancel(true);
        maybeTerminate();
        return neverStarted;
    }

    @Override
    public final boolean awaitTermination(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            long nanos = timeout == null ? Long.MAX_VALUE : timeout.toNanos();
            while (state != PoolState.TERMINATED) {
                if (timeout == null) terminated.await();
                else {
                    if (nanos <= 0) return false;
                    nanos = terminated.awaitNanos(nanos);
                }
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        return model + " pool (concurrency " + concurrency + ", " + state.name().toLowerCase() + ", "
                + outstanding.get() + " unfinished)";
    }
}
