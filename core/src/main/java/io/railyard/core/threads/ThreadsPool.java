package io.railyard.core.threads;

import io.railyard.core.PoolSpec;
import io.railyard.core.pool.AbstractTaskPool;
import io.railyard.core.pool.TaskRun;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code threads} model (the seed's Threading): a fixed number of platform threads, scheduled
 * preemptively by the OS, pulling tasks from one shared queue. Workers start lazily, when a task
 * is submitted and no worker is waiting to take it, until there are {@code concurrency} of them; they
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

    /** Tasks no worker was waiting for, once every worker has started; and a waiting worker's hand-off. */
    private final LinkedTransferQueue<Object> queue = new LinkedTransferQueue<>();
    private final AtomicInteger started = new AtomicInteger();
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
     * Hands the task to a worker waiting in the queue's {@code take}; when none is waiting, starts a
     * worker with it as its first task, until there are {@code concurrency}; past that it queues it,
     * and the first worker to finish its task takes it. A worker between two tasks (not yet waiting)
     * does not count: a dispatch then starts one worker more than strictly needed, never fewer, so
     * no task waits in the queue while fewer than {@code concurrency} workers exist.
     */
    @Override
    protected void dispatch(TaskRun<?> run) {
        if (queue.tryTransfer(run)) return;
        int n;
        while ((n = started.get()) < concurrency) {
            if (started.compareAndSet(n, n + 1)) {
                startWorker(n, run);
                return;
            }
        }
        queue.add(run);
    }

    private void startWorker(int index, TaskRun<?> first) {
        Thread t = new Thread(() -> work(index, first), "railyard-threads-" + index);
        t.setDaemon(true);
        try {
            t.start();
        } catch (OutOfMemoryError e) {
            started.decrementAndGet();
            if (index == 0) throw new RejectedExecutionException("cannot start a platform thread: " + e.getMessage(), e);
            if (first != null) queue.add(first); // the threads already running will take it
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
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                continue; // a late interrupt aimed at a finished task; only EXIT ends a worker
            }
            if (next == EXIT) return;
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
