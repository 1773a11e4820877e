package io.railyard.loop;

import io.railyard.core.LagReporting;
import io.railyard.core.PoolSpec;
import io.railyard.core.SingleEventLoop;
import io.railyard.core.pool.AbstractTaskPool;
import io.railyard.core.pool.SlotDispatcher;
import io.railyard.core.pool.TaskRun;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The {@code loop} model (the seed's Async IO): every task runs on ONE event-loop thread,
 * cooperatively. A task is an {@link io.railyard.core.AsyncTask}: it starts non-blocking operations
 * and returns a stage; the loop runs other tasks while those operations wait. At most
 * {@code concurrency} tasks are in flight (started and their stage not yet complete).
 *
 * <pre>
 *  any thread                            the loop thread "railyard-loop" (Netty epoll / NIO)
 *  ----------                            -----------------------------------------------------
 *  submitAsync --> TaskRun --> SlotDispatcher --(slot free)--> launched --> run.runAsync(0)
 *                   (queued)     (<= C in flight)     (16 started a pass,      | task.start(ctx)
 *                                                      then the sockets)       |
 *                                                                              v
 *          ctx.facility(...): LoopHttpClient, LoopTcp, LoopTimers, LoopFiles, LoopPrimitives
 *                                                                              | write / connect / schedule
 *                                      epoll_wait <----------------------------+  (never blocks)
 *                                          | socket readable, timer due
 *                                          v
 *                      handler completes the facility's future --> task's continuations
 *                                          |                              |
 *                                          v                              v (stage complete)
 *                      helper pool (toThread, files, DNS)      TaskRun.complete --> afterTask
 *                        result --execute--> back on the loop        --> slots.release --> next run
 *                                                                          (started inline, in this callback)
 *
 *  watchdog thread:  samples the loop's stack while a callback runs past the slow threshold
 *  lag probe timer:  on the loop every 25 ms; its lateness is the loop's lag
 * </pre>
 *
 * <h2>Slots</h2>
 * A run takes a slot when the dispatcher launches it and gives it back exactly once: in
 * {@link #afterTask} when its stage completes (or it is stopped), or in {@link #startOnLoop} if it
 * was cancelled between launch and start (it then never reaches {@code afterTask} as started).
 *
 * <h2>Blocking tasks</h2>
 * A {@link io.railyard.core.BlockingTask} is allowed: it runs inline and holds the loop thread for
 * its whole run. The {@link LoopMonitor} reports it (duration and stack) and {@link #report()} says
 * the loop blocked. It cannot be interrupted; stopping it waits until it returns.
 *
 * <h2>Stopping a running task</h2>
 * Cancel and timeout abandon the task's stage: the run is finished at once (its slot freed) and the
 * stage's eventual result is dropped.
 *
 * <h2>Lifecycle</h2>
 * {@link io.railyard.core.PoolState} as every pool; when the last task is done after
 * {@code close()} or {@code shutdownNow()}, the loop thread, its watchdog and the helper pool stop.
 *
 * <p>Thread-safety: the {@link io.railyard.core.TaskPool} methods may be called from any thread.
 * What keeps loop state (the primitives, {@link TcpConnection}, the HTTP connection pools) is
 * loop-confined and checks the calling thread; the calls that start work (HTTP send, TCP connect,
 * timers, files, {@code toThread}) may come from any thread and hop to the loop themselves.
 */
public final class LoopPool extends AbstractTaskPool implements LagReporting, SingleEventLoop {

    /** The worker id every task sees: there is one loop. */
    static final int LOOP_WORKER = 0;

    private final Loop loop;
    private final SlotDispatcher slots;
    private final LoopHttpClient http;
    private final Map<Class<?>, Object> facilities;
    /**
     * Most runs {@link #startLaunched} starts before the loop reads and writes its sockets again. A
     * burst of launches from off the loop (a thousand at a trial's start) would otherwise hold the
     * loop until all had started, and Netty queues each new connection's connect behind them: not
     * one request would leave before the last run had started.
     */
    static final int STARTS_PER_PASS = 16;

    /** True while a task is being started inline on the loop (loop-confined). */
    private boolean launchingInline;
    /** Runs launched and not yet started on the loop: offered by any thread, taken by the loop. */
    private final ConcurrentLinkedQueue<TaskRun<?>> launched = new ConcurrentLinkedQueue<>();
    /** Whether {@link #startLaunched} is queued or running on the loop. */
    private final AtomicBoolean starting = new AtomicBoolean();

    public LoopPool(PoolSpec spec) {
        super("loop", spec);
        this.loop = new Loop(LoopOptions.from(spec));
        this.slots = new SlotDispatcher(concurrency, this::launch);
        this.http = new LoopHttpClient(loop);
        this.facilities = Map.of(
                LoopHttpClient.class, http,
                LoopTcp.class, new LoopTcp(loop),
                LoopTimers.class, new LoopTimers(loop),
                LoopFiles.class, new LoopFiles(loop),
                LoopPrimitives.class, new LoopPrimitives(loop),
                LoopMonitor.class, loop.monitor);
    }

    public LoopPool(int concurrency) {
        this(PoolSpec.of(concurrency));
    }

    /** The transport in use: {@code epoll} or {@code nio}. */
    public String transport() {
        return loop.transport;
    }

    /** Slow callbacks and loop lag, live. */
    public LoopMonitor monitor() {
        return loop.monitor;
    }

    /** The loop's lag now: what the autoscaler reads ({@link LagReporting}). */
    @Override
    public long lagNanos() {
        return loop.monitor.currentLagNanos();
    }

    /** The pool's HTTP client (the same one tasks get from their context); callable from any thread. */
    public LoopHttpClient http() {
        return http;
    }

    /**
     * What the loop went through so far: did it block, and how badly. Called off the loop, it first
     * waits (at most a second) for the callback running now to end, so that a task whose future has
     * completed is accounted for even if it completed from inside a slow callback.
     */
    public LoopReport report() {
        if (!loop.inLoop()) {
            try {
                return loop.eventLoop.submit(this::snapshot).get(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException | RejectedExecutionException stuckOrGone) {
                // the loop is blocked right now, or terminated: report what is known
            }
        }
        return snapshot();
    }

    private LoopReport snapshot() {
        LoopMonitor m = loop.monitor;
        return new LoopReport(loop.transport, m.threshold(), m.slowCallbacks(), m.worst(), m.lag(),
                http.connectionsOpened(), http.requestsSent());
    }

    // ---------------------------------------------------------------- AbstractTaskPool hooks

    @Override
    protected void dispatch(TaskRun<?> run) {
        slots.offer(run);
    }

    /** The dispatcher's launcher: must not throw (the dispatcher would then free the slot twice). */
    private void launch(TaskRun<?> run) {
        if (loop.inLoop() && !launchingInline) {
            // A task just finished on the loop and freed this slot: start the next one right here,
            // so its first IO leaves in this callback instead of after every other ready channel.
            // One level only: a task that finishes synchronously inside defers its successor to the
            // launched runs (startLaunched, 16 a pass), so a chain of synchronous tasks neither
            // recurses nor starves IO.
            launchingInline = true;
            try {
                startOnLoop(run);
            } finally {
                launchingInline = false;
            }
            return;
        }
        launched.offer(run);
        if (!starting.compareAndSet(false, true)) return; // the starter is queued and will take it
        try {
            loop.eventLoop.execute(this::startLaunched);
        } catch (RejectedExecutionException e) {
            failLaunched(e);
        }
    }

    /**
     * The loop refused the starter: fails every launched run. Cannot happen while tasks are
     * outstanding (the loop stops after the last one); here to be safe. The flag goes down first, so
     * a run launched meanwhile tries the loop itself and is failed by its own refusal.
     */
    private void failLaunched(RejectedExecutionException e) {
        starting.set(false);
        TaskRun<?> r;
        while ((r = launched.poll()) != null) {
            if (r.start(-1)) r.fail(Loop.closed(e));
            else slots.release();
        }
    }

    /**
     * On the loop: starts up to {@link #STARTS_PER_PASS} launched runs, then, if more wait, comes
     * back after the loop's next pass over its sockets (a task scheduled now runs after that pass;
     * one executed would run before it).
     */
    private void startLaunched() {
        TaskRun<?> run;
        for (int i = 0; i < STARTS_PER_PASS && (run = launched.poll()) != null; i++) startOnLoop(run);
        if (launched.isEmpty()) {
            starting.set(false);
            // a launch that came after the poll above saw the flag still set: take it over
            if (launched.isEmpty() || !starting.compareAndSet(false, true)) return;
        }
        try {
            loop.eventLoop.schedule(this::startLaunched, 0, TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            failLaunched(e);
        }
    }

    private void startOnLoop(TaskRun<?> run) {
        loop.runMonitored(run, () -> run.runAsync(LOOP_WORKER));
        if (run.worker() < 0) slots.release(); // cancelled after launch, before it could start
    }

    @Override
    protected void afterTask(TaskRun<?> run, boolean started) {
        if (started) slots.release();
    }

    @Override
    protected void stopRunning(TaskRun<?> run) {
        CancellationException stopped = new CancellationException("task " + run.taskId() + " was stopped");
        if (loop.inLoop()) {
            run.fail(stopped);
            return;
        }
        try {
            loop.execute(() -> run.fail(stopped));
        } catch (LoopClosedException e) {
            run.fail(e); // the loop is gone: the run ends here, and none of its code runs off the loop
        }
    }

    @Override
    protected Executor taskExecutor() {
        return loop.executor;
    }

    @Override
    protected <F> F facility(Class<F> type) {
        Object f = facilities.get(type);
        return f != null ? type.cast(f) : super.facility(type);
    }

    @Override
    protected void releaseWorkers() {
        http.closeAll();
        loop.shutdown();
    }

    @Override
    protected void joinWorkers(Duration timeout) throws InterruptedException {
        if (loop.inLoop()) return; // a task closing its own pool must not wait for itself
        loop.awaitTermination(timeout.toMillis());
    }
}
