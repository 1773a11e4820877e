package io.railyard.core.pool;

import io.railyard.core.AsyncTask;
import io.railyard.core.BlockingTask;
import io.railyard.core.TaskContext;
import io.railyard.core.TaskFuture;
import io.railyard.core.TaskTimeoutException;
import io.railyard.core.time.TimeSource;
import io.railyard.core.trace.Outcome;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * One submitted task inside a pool: the task, its future, and its state machine.
 *
 * <pre>
 *   PENDING --start(worker)-------> RUNNING --complete()/fail()--> DONE
 *   PENDING --cancel / shutdownNow--------------------------------> DONE  (never ran)
 * </pre>
 *
 * Exactly one transition reaches {@code DONE}; it records the trace and tells the pool once. The
 * future may complete earlier than {@code DONE} (cancelled, timed out): the task is then being
 * stopped and its eventual result is dropped.
 *
 * <p>Thread-safety: {@link #start}, {@link #complete} and {@link #fail} are called by the one worker
 * that took the task; cancellation and timeouts arrive from any thread and are safe against it.
 * The model interrupts a running task only through {@link #interruptRunner()}, which never
 * interrupts a thread that has moved on to another task.
 */
public final class TaskRun<T> implements TaskContext, TaskFuture.Owner {

    static final int PENDING = 0, RUNNING = 1, DONE = 2;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(TaskRun.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final AbstractTaskPool pool;
    private final long id;
    private final Object task;
    private final TaskFuture<T> future;
    private final Duration timeout;
    private final long submitNanos;
    /** PENDING, RUNNING or DONE, moved by {@link #STATE} (a field, not an AtomicInteger: one object less per queued task). */
    private volatile int state = PENDING;

    private volatile long startNanos = -1;
    private volatile int worker = -1;
    private long cpuNanos = -1;
    /**
     * Where the task ran, when it told us: its code's start there (see {@link #startedAt}); else -1.
     * Volatile: the future reads it ({@link #codeStartNanos}); {@link #ranFromEstimated} is written
     * before it and read after it.
     */
    private volatile long ranFromNanos = -1;
    private boolean ranFromEstimated;
    private TimeSource.Cancellable timer;
    /** The thread running the task, while it runs; guarded by {@code this}. */
    private Thread runner;
    /** This run's neighbours in the pool's {@link LiveRuns}; guarded by the lock of its list there. */
    TaskRun<?> livePrev, liveNext;

    TaskRun(AbstractTaskPool pool, long id, Object task, Duration timeout) {
        this.pool = pool;
        this.id = id;
        this.task = task;
        this.timeout = timeout;
        this.future = new TaskFuture<>(this);
        this.submitNanos = pool.time.nanoTime();
    }

    public TaskFuture<T> future() {
        return future;
    }

    /** The user's task: a {@link BlockingTask} or an {@link AsyncTask}. */
    public Object task() {
        return task;
    }

    public boolean isBlocking() {
        return task instanceof BlockingTask;
    }

    /** The timeout the task was submitted with, or {@code null}. */
    public Duration timeout() {
        return timeout;
    }

    public boolean isPending() {
        return state == PENDING;
    }

    public boolean isRunning() {
        return state == RUNNING;
    }

    /** Cancels the task if it has not started; true if it was queued and now never will run. */
    boolean cancelQueued() {
        if (!STATE.compareAndSet(this, PENDING, DONE)) return false;
        future.cancel(false);
        record(Outcome.CANCELLED);
        pool.taskDone(this, false);
        return true;
    }

    /**
     * Marks the task taken by {@code worker} and arms its timeout. Returns false if it was cancelled
     * while queued: the caller must then skip it. Its time is the trace's start unless the model
     * says later when the task's code began where it ran ({@link #startedAt}): a model that runs the
     * task on the calling thread calls this right before it invokes the task.
     */
    public boolean start(int worker) {
        if (!STATE.compareAndSet(this, PENDING, RUNNING)) return false;
        this.worker = worker;
        this.startNanos = pool.time.nanoTime();
        if (timeout != null) timer = pool.time.schedule(timeout, this::timedOut);
        return true;
    }

    /**
     * Runs the task to completion on the calling thread: the whole life of a task on a blocking
     * model. An asynchronous task's stage is waited for. Skips a task cancelled while queued.
     */
    @SuppressWarnings("unchecked")
    public void runBlocking(int worker) {
        if (!start(worker)) return;
        Thread self = Thread.currentThread();
        synchronized (this) {
            runner = self;
        }
        if (future.isDone()) self.interrupt(); // cancelled between start() and here
        boolean traceCpu = pool.trace.enabled() && !self.isVirtual();
        long cpuStartNanos = traceCpu ? THREADS.getCurrentThreadCpuTime() : 0;
        T value = null;
        Throwable error = null;
        try {
            // a blocking task is called from this frame, with no helper between: a parked virtual
            // thread keeps every frame beneath its park on the heap for as long as it waits
            value = task instanceof BlockingTask<?> b ? (T) b.call() : (T) InlineTaskContext.call(task, this);
        } catch (Throwable t) {
            error = t;
        }
        if (traceCpu) cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuStartNanos;
        synchronized (this) {
            runner = null;
        }
        Thread.interrupted(); // an interrupt meant for this task must not reach the next one
        if (error == null) complete(value);
        else fail(error);
    }

    /**
     * Starts the task on the calling thread without waiting for it: an asynchronous task's stage
     * completes the run later; a blocking task runs inline. For event-loop models.
     */
    @SuppressWarnings("unchecked")
    public void runAsync(int worker) {
        if (!start(worker)) return;
        try {
            if (task instanceof AsyncTask<?> a) {
                CompletionStage<T> stage = (CompletionStage<T>) a.start(this);
                if (stage == null) throw new NullPointerException("AsyncTask.start returned null instead of a stage");
                stage.whenComplete((v, e) -> {
                    if (e == null) complete(v);
                    else fail(TaskFuture.unwrap(e));
                });
            } else {
                complete(((BlockingTask<T>) task).call());
            }
        } catch (Throwable t) {
            fail(t);
        }
    }

    /**
     * Records the CPU time the task used where it ran, for the trace; a model that runs tasks in
     * another process measures it there. Call before {@link #complete}/{@link #fail}, on their thread.
     */
    public void cpuTime(long nanos) {
        this.cpuNanos = nanos;
    }

    /**
     * When the task's code began where it ran, for the trace's submit-to-start, from a model that
     * runs tasks elsewhere: a worker process or a cluster member stamps it itself. {@code nanos} is
     * a {@link System#nanoTime()} reading, which every JVM on this machine takes from the one
     * {@code CLOCK_MONOTONIC}; {@code estimated} marks a start worked out from a round trip instead
     * (a member on another machine, another clock). Ignored when the pool runs on another
     * {@link io.railyard.core.time.TimeSource} than the system's, whose readings it cannot compare.
     * Call before {@link #complete}/{@link #fail}, on their thread.
     */
    public void startedAt(long nanos, boolean estimated) {
        if (pool.time != TimeSource.system() || nanos < 0) return;
        this.ranFromEstimated = estimated;
        this.ranFromNanos = nanos;
    }

    /** When the pool handed the task to a worker (or the worker took it): the timeout's start; -1 before. */
    public long dispatchedNanos() {
        return startNanos;
    }

    /** The task produced {@code value}: completes the future (unless already cancelled or timed out). */
    public void complete(T value) {
        future.complete(value);
        finish();
    }

    /** The task failed with {@code error}. */
    public void fail(Throwable error) {
        future.completeExceptionally(error);
        finish();
    }

    /** Interrupts the thread running this task, if any; never a thread that moved on. */
    public synchronized void interruptRunner() {
        if (runner != null) runner.interrupt();
    }

    private void finish() {
        if (!STATE.compareAndSet(this, RUNNING, DONE)) return;
        if (timer != null) timer.cancel();
        record(outcome());
        pool.taskDone(this, true);
    }

    /**
     * When the task's code began, for its future ({@link TaskFuture#startNanos()}): where it ran when
     * the model told us ({@link #startedAt}), else when it started here; -1 before it started or
     * when the pool runs on a clock of its own.
     */
    @Override
    public long codeStartNanos() {
        if (pool.time != TimeSource.system()) return -1;
        long ranFrom = ranFromNanos;
        return ranFrom >= 0 ? ranFrom : startNanos;
    }

    @Override
    public boolean codeStartEstimated() {
        return ranFromNanos >= 0 && ranFromEstimated;
    }

    /** Called by the future on cancel. */
    @Override
    public void cancelled(boolean mayInterrupt) {
        if (STATE.compareAndSet(this, PENDING, DONE)) {
            record(Outcome.CANCELLED);
            pool.taskDone(this, false);
        } else if (mayInterrupt && state == RUNNING) {
            pool.stopRunning(this);
        }
    }

    private void timedOut() {
        if (state == RUNNING && future.completeExceptionally(new TaskTimeoutException(id, timeout))) {
            pool.stopRunning(this);
        }
    }

    private Outcome outcome() {
        if (future.isCancelled()) return Outcome.CANCELLED;
        if (!future.isCompletedExceptionally()) return Outcome.OK;
        return future.exceptionNow() instanceof TaskTimeoutException ? Outcome.TIMED_OUT : Outcome.FAILED;
    }

    private void record(Outcome outcome) {
        if (pool.trace.enabled()) {
            long start = ranFromNanos >= 0 ? ranFromNanos : startNanos;
            pool.trace.record(id, submitNanos, start, pool.time.nanoTime(), worker, outcome, cpuNanos, ranFromNanos >= 0 && ranFromEstimated);
        }
    }

    // ---- TaskContext, valid while the task runs ----

    @Override
    public long taskId() {
        return id;
    }

    @Override
    public int worker() {
        return worker;
    }

    @Override
    public Executor executor() {
        return pool.taskExecutor();
    }

    @Override
    public <F> F facility(Class<F> type) {
        return pool.facility(type);
    }

    @Override
    public String toString() {
        return "task " + id + " (" + new String[]{"pending", "running", "done"}[state] + ")";
    }
}
