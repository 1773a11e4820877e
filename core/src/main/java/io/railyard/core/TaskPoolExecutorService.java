package io.railyard.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A {@link TaskPool} seen as an {@link ExecutorService} ({@link TaskPool#asExecutorService()}):
 * {@code execute} and {@code submit} are the pool's blocking tasks, their futures its
 * {@link TaskFuture}s (whose {@code cancel} stops a task as the model does: interrupt, kill the
 * worker process, cancel on the member); {@code shutdown}, {@code shutdownNow},
 * {@code isShutdown}, {@code isTerminated} and {@code awaitTermination} are the pool's lifecycle;
 * {@code invokeAll} and {@code invokeAny} submit every task at once and wait as the
 * {@code ExecutorService} contract says.
 *
 * <pre>
 *   execute(r) / submit(c) --&gt; RunnableTask / CallableTask --&gt; pool.submit --&gt; TaskFuture
 *                                   (serializable records: they cross to worker processes and members)
 *   shutdown() --&gt; pool.shutdown()          shutdownNow() --&gt; pool.shutdownNow(), mapped back to the tasks given
 * </pre>
 *
 * <p>Thread-safe: every method may be called from any thread. Submitting holds a read lock and
 * {@code shutdownNow} the write lock, so that a task is always known by the time its future may be
 * handed back as never started.
 */
final class TaskPoolExecutorService implements ExecutorService {

    /** A {@code Runnable} as a task; {@code result} is its value. Serializable when both are. */
    record RunnableTask<T>(Runnable runnable, T result) implements BlockingTask<T> {
        @Override
        public T call() {
            runnable.run();
            return result;
        }
    }

    /** A {@code Callable} as a task. Serializable when it is. */
    record CallableTask<T>(Callable<T> callable) implements BlockingTask<T> {
        @Override
        public T call() throws Exception {
            return callable.call();
        }
    }

    private final TaskPool pool;
    /** The tasks accepted and not finished, with what {@link #shutdownNow} hands back for each. */
    private final ConcurrentHashMap<TaskFuture<?>, Runnable> unfinished = new ConcurrentHashMap<>();
    private final ReentrantReadWriteLock submitting = new ReentrantReadWriteLock();

    TaskPoolExecutorService(TaskPool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    // ------------------------------------------------------------------ submitting

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command");
        accept(new RunnableTask<>(command, null), command).whenComplete((v, e) -> {
            if (e != null && !(e instanceof CancellationException)) {
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            }
        });
    }

    @Override
    public <T> TaskFuture<T> submit(Callable<T> task) {
        Objects.requireNonNull(task, "task");
        return accept(new CallableTask<>(task), new FutureTask<>(task));
    }

    @Override
    public TaskFuture<?> submit(Runnable task) {
        return submit(task, null);
    }

    @Override
    public <T> TaskFuture<T> submit(Runnable task, T result) {
        Objects.requireNonNull(task, "task");
        return accept(new RunnableTask<>(task, result), task);
    }

    private <T> TaskFuture<T> accept(BlockingTask<T> task, Runnable given) {
        submitting.readLock().lock();
        try {
            TaskFuture<T> f = pool.submit(task);
            unfinished.put(f, given);
            f.whenComplete((v, e) -> unfinished.remove(f));
            return f;
        } finally {
            submitting.readLock().unlock();
        }
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void shutdown() {
        pool.shutdown();
    }

    @Override
    public List<Runnable> shutdownNow() {
        Map<TaskFuture<?>, Runnable> given;
        List<TaskFuture<?>> neverStarted;
        submitting.writeLock().lock();
        try {
            given = new HashMap<>(unfinished); // cancelling a task removes it from unfinished
            neverStarted = pool.shutdownNow();
        } finally {
            submitting.writeLock().unlock();
        }
        List<Runnable> out = new ArrayList<>(neverStarted.size());
        for (TaskFuture<?> f : neverStarted) {
            Runnable r = given.get(f);
            if (r != null) out.add(r);
        }
        return out;
    }

    @Override
    public boolean isShutdown() {
        return pool.state() != PoolState.RUNNING;
    }

    @Override
    public boolean isTerminated() {
        return pool.state() == PoolState.TERMINATED;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return pool.awaitTermination(Duration.ofNanos(Math.max(0, unit.toNanos(timeout))));
    }

    // ------------------------------------------------------------------ invoking

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks) throws InterruptedException {
        return invokeAll(tasks, Long.MAX_VALUE, false);
    }

    @Override
    public <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException {
        return invokeAll(tasks, System.nanoTime() + unit.toNanos(timeout), true);
    }

    /** Submits every task, then waits for all (until {@code deadline} when timed: the unfinished ones are then cancelled). */
    private <T> List<Future<T>> invokeAll(Collection<? extends Callable<T>> tasks, long deadline, boolean timed)
            throws InterruptedException {
        checkTasks(tasks);
        List<Future<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> t : tasks) futures.add(submit(t));
            for (Future<T> f : futures) {
                if (f.isDone()) continue;
                try {
                    if (!timed) f.get();
                    else f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (ExecutionException | CancellationException e) {
                    // that task's future holds its outcome
                } catch (TimeoutException e) {
                    cancelAll(futures);
                    return futures;
                }
            }
            return futures;
        } catch (Throwable t) { // interrupted, or a task refused at submit
            cancelAll(futures);
            throw t;
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks) throws InterruptedException, ExecutionException {
        try {
            return invokeAny(tasks, Long.MAX_VALUE, false);
        } catch (TimeoutException impossible) {
            throw new IllegalStateException(impossible); // untimed: no deadline to pass
        }
    }

    @Override
    public <T> T invokeAny(Collection<? extends Callable<T>> tasks, long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return invokeAny(tasks, System.nanoTime() + unit.toNanos(timeout), true);
    }

    /**
     * Submits every task and returns the value of the first to succeed, cancelling the others;
     * when every one fails, an {@link ExecutionException} with the last failure.
     */
    private <T> T invokeAny(Collection<? extends Callable<T>> tasks, long deadline, boolean timed)
            throws InterruptedException, ExecutionException, TimeoutException {
        checkTasks(tasks);
        if (tasks.isEmpty()) throw new IllegalArgumentException("invokeAny needs at least one task");
        LinkedBlockingQueue<TaskFuture<T>> done = new LinkedBlockingQueue<>();
        List<TaskFuture<T>> futures = new ArrayList<>(tasks.size());
        try {
            for (Callable<T> t : tasks) {
                TaskFuture<T> f = submit(t);
                futures.add(f);
                f.whenComplete((v, e) -> done.add(f));
            }
            ExecutionException last = null;
            for (int i = 0; i < futures.size(); i++) {
                TaskFuture<T> f = timed ? done.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) : done.take();
                if (f == null) throw new TimeoutException("no task of invokeAny succeeded in time");
                try {
                    return f.get();
                } catch (ExecutionException e) {
                    last = e;
                } catch (CancellationException e) {
                    last = new ExecutionException(e);
                }
            }
            throw last;
        } finally {
            cancelAll(futures);
        }
    }

    private static void checkTasks(Collection<? extends Callable<?>> tasks) {
        Objects.requireNonNull(tasks, "tasks");
        for (Callable<?> t : tasks) Objects.requireNonNull(t, "a task in tasks");
    }

    private static void cancelAll(List<? extends Future<?>> futures) {
        for (Future<?> f : futures) f.cancel(true);
    }

    @Override
    public String toString() {
        return "ExecutorService over " + pool;
    }
}
