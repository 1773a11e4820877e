package io.railyard.core.threads;

import io.railyard.core.PoolSpec;
import io.railyard.core.pool.AbstractTaskPool;
import io.railyard.core.pool.TaskRun;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code threads} model (the seed's Threading): a fixed number of platform threads, scheduled
 * preemptively by the OS, pulling tasks from one shared queue. Workers start lazily, when a task
 * is queued and no worker is idle to take it, until there are {@code concurrency} of them; they
 * live until the pool closes. So a pool of 2,000 that never has more than 10 tasks at once starts
 * about 10 threads (an autoscaler opens a pool at its most and hands it few tasks), unlike
 * {@code ThreadPoolExecutor}'s core threads, one per submit. Threads share memory, so shared state
 * needs locks.
 *
 * <pre>
 *   submit --> [ shared queue ] --take--> worker 0 .. worker C-1  (platform threads)
 * </pre>
 *
 * A running task is stopped by interrupting its thread; a task that ignores interrupts keeps its
 * thread until it returns (Java cannot kill a thread; use {@code processes} for that).
 *
 * <p>Thread-safe. Worker threads are daemon threads named {@code railyard-threads-N}.
 */
public final class ThreadsPool extends AbstractTaskPool {

    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final AtomicInteger started = new AtomicInteger();
    /** Workers waiting for a task: up from just before a worker's take until just after it returns. */
    private final AtomicInteger idle = new AtomicInteger();
    /**
     * Tasks queued and not yet counted out by the worker that took one, which does so only after it
     * has counted itself out of {@link #idle}: until then the task it took still counts here, so the
     * worker and its task are counted on both sides or on neither (see {@link #dispatch}).
     */
    private final AtomicInteger pending = new AtomicInteger();
    private final List<Thread> workers = new ArrayList<>();
    /** Put on the queue once per worker at release: a worker that takes it exits. */
    private static final Object EXIT = new Object();

    public ThreadsPool(PoolSpec spec) {
        super("threads", spec);
    }

    public ThreadsPool(int concurrency) {
        this(PoolSpec.of(concurrency));
    }

    /** Platform threads started so far (at most the concurrency). */
    public int threads() {
        return started.get();
    }

    /**
     * Queues the task, and starts a worker while more tasks are pending than workers are idle.
     * Racing dispatches and workers can start one worker more than needed, never fewer: a worker
     * that has just taken a task counts as idle until it counts itself out, and the task it took
     * counts as pending until after that, so it never makes a newly queued task look taken care of.
     */
    @Override
    protected void dispatch(TaskRun<?> run) {
        if (started.get() == 0 && started.compareAndSet(0, 1)) { // the first task: no queue round trip
            startWorker(0, run);
            return;
        }
        pending.incrementAndGet();
        queue.add(run);
        int n;
        while (pending.get() > idle.get() && (n = started.get()) < concurrency) {
            if (started.compareAndSet(n, n + 1)) {
                startWorker(n, null);
                return;
            }
        }
    }

    private void startWorker(int index, TaskRun<?> first) {
        Thread t = new Thread(() -> work(index, first), "railyard-threads-" + index);
        t.setDaemon(true);
        try {
            t.start();
        } catch (OutOfMemoryError e) {
            started.decrementAndGet();
            if (index == 0) throw new RejectedExecutionException("cannot start a platform thread: " + e.getMessage(), e);
            if (first != null) { // the threads already running will take it
                pending.incrementAndGet();
                queue.add(first);
            }
            return;
        }
        synchronized (workers) {
            workers.add(t);
        }
    }

    private void work(int index, TaskRun<?> first) {
        if (first != null) first.runBlocking(index);
        while (true) {
            Object next;
            idle.incrementAndGet();
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                continue; // a late interrupt aimed at a finished task; only EXIT ends a worker
            } finally {
                idle.decrementAndGet();
            }
            if (next == EXIT) return;
            pending.decrementAndGet(); // after idle's: see dispatch
            ((TaskRun<?>) next).runBlocking(index);
        }
    }

    @Override
    protected void stopRunning(TaskRun<?> run) {
        run.interruptRunner();
    }

    @Override
    protected void releaseWorkers() {
        for (int i = 0; i < started.get(); i++) queue.add(EXIT);
    }

    @Override
    protected void joinWorkers(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<Thread> copy;
        synchronized (workers) {
            copy = new ArrayList<>(workers);
        }
        for (Thread t : copy) {
            long left = deadline - System.nanoTime();
            if (left <= 0) return;
            t.join(Duration.ofNanos(left));
        }
    }
}
