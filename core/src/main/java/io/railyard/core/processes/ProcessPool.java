package io.railyard.core.processes;

import io.railyard.core.codec.NotEncodableException;
import io.railyard.core.codec.PayloadCodec;
import io.railyard.core.codec.AllowList;
import io.railyard.core.PoolSpec;
import io.railyard.core.PoolState;
import io.railyard.core.Resizable;
import io.railyard.core.pool.AbstractTaskPool;
import io.railyard.core.pool.RemoteQueue;
import io.railyard.core.pool.RemoteQueue.Answer;
import io.railyard.core.pool.RemoteQueue.Queued;
import io.railyard.core.pool.TaskRun;
import io.railyard.core.processes.Frame.Failure;
import io.railyard.core.processes.Frame.Result;
import io.railyard.core.processes.Frame.Task;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code processes} model (the seed's Multiprocessing): {@code concurrency} worker JVMs, each
 * running one task at a time, with tasks and results travelling as frames over a pair of named
 * pipes per worker (see {@link WorkerLauncher}). Memory is separate, so a task can crash, leak or call {@code System.exit}
 * without taking the pool down: its worker is replaced and only that task fails
 * ({@link WorkerDiedException}).
 *
 * <pre>
 *  submitting thread                     slot thread i (one per worker, owns its lifecycle)
 *  -----------------                     --------------------------------------------------
 *  submit(task)                          start worker i: mkfifo, spawn java, Init --&gt; Ready
 *    encode (fails here: names class)         |
 *    idle worker? --yes--&gt; send Task ======&gt; worker i runs it (one at a time)
 *         |no                                 |
 *    [ queue ]                           read Result/Failure &lt;====== worker i
 *         ^                                decode, hand worker i the next queued task (send Task),
 *         +--------------------------------- then complete the task's future
 *                                        end of stream (exit, kill -9, timeout, cancel):
 *                                          fail its task with WorkerDiedException, start a replacement
 * </pre>
 *
 * Opening starts every worker in parallel and returns when all are ready; a worker that cannot
 * start fails the open with its exit status and last output (a JVM flag of {@code jvmArgs} the JVM
 * refuses, as an {@link IllegalArgumentException} naming it). Never more workers than memory
 * allows ({@link WorkerCap}): a pool that would need more is refused at open, before it spawns
 * them. A worker holds at most one task: a
 * task still queued in the parent can be cancelled without ever reaching a process, and its timeout
 * starts when it is sent, so it counts running time only. {@link #map} amortises the round trip
 * with chunks: one chunk is one Task frame and one Result frame.
 *
 * <h2>Worker lifecycle</h2>
 * {@code STARTING --Ready--> SERVING --end of stream--> GONE --(pool still needs it)--> STARTING}
 * (a replacement in the same slot). A worker leaves SERVING when it dies, when the pool kills it
 * (a timed-out or cancelled task: Java cannot stop a thread, but it can stop a process), when it
 * answers its {@code maxTasksPerWorker}-th task (it is told to shut down and replaced), or when the
 * pool releases its workers ({@code Shutdown}; killed after a grace period if it does not exit).
 *
 * <h2>Resizing</h2>
 * {@link #resize} (for the autoscaler, see {@link Resizable}) keeps workers in slots
 * {@code [0, target)}: missing ones start in the background, idle ones at or beyond the target are
 * told to shut down at once, busy ones when their task ends; a slot thread whose slot is no longer
 * wanted exits instead of starting a replacement. The pool option {@code initialWorkers} sets how
 * many start at open (default: all).
 *
 * <h2>Who touches what</h2>
 * The queue, the idle workers, each worker's in-flight task and the {@code released} flag are
 * guarded by {@code guard}; it is held only for these small updates, never while calling into a
 * {@link TaskRun} (which may call back into the pool's lifecycle). A worker's pipe from it is read
 * only by its slot thread. A task is marked in flight <em>before</em> it is started, so a timeout or a
 * cancel always finds the worker to kill; a worker marked gone is never handed a task, so no task
 * is lost between a worker's death and its replacement, and each answer is matched to the one task
 * in flight, so none is delivered twice.
 *
 * <p>Thread-safe, like every {@link io.railyard.core.TaskPool}. Options: {@link ProcessPoolOptions}.
 */
public final class ProcessPool extends AbstractTaskPool implements Resizable {

    /** Attempts at replacing a worker before its slot is given up. */
    private static final int MAX_START_FAILURES = 3;
    /** How long a worker may take to exit after Shutdown before it is killed. */
    private static final Duration EXIT_GRACE = Duration.ofSeconds(5);

    private final ProcessPoolOptions options;
    private final PayloadCodec codec;
    private final WorkerLauncher launcher;
    /** Start-up times of the most recent {@link #START_TIMES_KEPT} workers; guarded by itself. */
    private final ArrayDeque<Duration> startTimes = new ArrayDeque<>();
    private static final int START_TIMES_KEPT = 1024;

    private final Object guard = new Object();
    private final RemoteQueue queue;                               // guarded (its queue; encoding and decoding are not)
    private final ArrayDeque<Worker> idle = new ArrayDeque<>();    // guarded
    private final Worker[] workers;                                // guarded; null while a slot starts
    private boolean released;                                      // guarded
    private int target;                                            // guarded: slots [0, target) want a worker
    private final boolean[] slotThread;                            // guarded: a slot thread runs for index i
    private RuntimeException broken;                               // guarded

    /** A pool configured by the spec's string options (see {@link ProcessPoolOptions}). */
    public ProcessPool(PoolSpec spec) {
        this(spec, ProcessPoolOptions.fromOptions(spec.options()));
    }

    /**
     * Starts {@code spec.concurrency()} workers in parallel and returns when all are ready.
     *
     * @throws IllegalArgumentException if an option is wrong (e.g. the initializer cannot be encoded)
     * @throws IllegalStateException    if a worker cannot start, with its exit status and output
     */
    public ProcessPool(PoolSpec spec, ProcessPoolOptions options) {
        super("processes", spec);
        this.options = options;
        AllowList allow = AllowList.withDeclared(options.allow());
        this.codec = PayloadCodec.create(options.codec(), allow);
        this.queue = new RemoteQueue(codec, "a worker process");
        byte[] init;
        try {
            init = options.initializer() == null ? new byte[0] : codec.encode(options.initializer());
        } catch (NotEncodableException e) {
            throw new IllegalArgumentException("the initializer cannot be sent to the workers: " + e.getMessage(), e);
        }
        this.launcher = new WorkerLauncher(options, allow, init, codec);
        this.workers = new Worker[concurrency];
        this.slotThread = new boolean[concurrency];
        this.target = initialWorkers(spec);
        prestart();
    }

    /** The {@code initialWorkers} option: how many workers start at open, 1 to the concurrency (default: all). */
    private int initialWorkers(PoolSpec spec) {
        String v = spec.option(INITIAL_WORKERS_OPTION, null);
        if (v == null) return concurrency;
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= concurrency) return n;
        } catch (NumberFormatException ignored) {
            // falls through to the message
        }
        throw new IllegalArgumentException("option " + INITIAL_WORKERS_OPTION + "=" + v + " must be a whole number from 1 to the concurrency ("
                + concurrency + ")");
    }

    /** Convenience: {@code concurrency} workers with default options. */
    public ProcessPool(int concurrency) {
        this(PoolSpec.of(concurrency));
    }

    /**
     * Starts the first {@code target} workers and waits until they are ready, within the memory cap
     * ({@link WorkerCap}): when they might not fit, one starts first and its footprint decides.
     */
    private void prestart() {
        WorkerCap cap = WorkerCap.of(options);
        if (cap.fitsByPrior(target)) {
            startAndAwait(0, target);
            return;
        }
        startAndAwait(0, 1);
        long footprint = firstWorkerFootprint();
        if (target > cap.most(footprint)) {
            abortOpen();
            throw cap.refusal(target, footprint);
        }
        startAndAwait(1, target);
    }

    /** The resident memory of worker 0, just started. */
    private long firstWorkerFootprint() {
        Worker w;
        synchronized (guard) {
            w = workers[0];
        }
        long rss = w == null ? 0 : io.railyard.core.probe.ProcessTreeProbe.readingOf(w.pid, List.of()).rssBytes();
        return rss > 0 ? rss : WorkerCap.FOOTPRINT_PRIOR_BYTES;
    }

    private void startAndAwait(int from, int to) {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (int i = from; i < to; i++) {
            CompletableFuture<Void> first = new CompletableFuture<>();
            ready.add(first);
            synchronized (guard) {
                slotThread[i] = true;
            }
            startSlot(i, first);
        }
        try {
            CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new))
                    .get(options.startTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            abortOpen();
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            RuntimeException refused = refusedJvmArgs(cause);
            if (refused != null) throw refused;
            throw new IllegalStateException("cannot start the processes pool: " + cause.getMessage(), cause);
        }
    }

    /**
     * When the worker JVM itself refused to start with the user's {@code jvmArgs} (an unknown or bad
     * flag), the option is the user's mistake: one line naming it and what the JVM said.
     */
    private IllegalArgumentException refusedJvmArgs(Throwable cause) {
        String said = cause == null ? null : cause.getMessage();
        if (options.jvmArgs().isEmpty() || said == null || !said.contains("Could not create the Java Virtual Machine")) return null;
        int at = said.indexOf("its last output: ");
        String jvm = at < 0 ? said : said.substring(at + "its last output: ".length());
        int end = jvm.indexOf("Error: Could not create");
        jvm = (end > 0 ? jvm.substring(0, end) : jvm).strip();
        return new IllegalArgumentException("option jvmArgs=" + String.join(" ", options.jvmArgs()) + " is refused by the worker JVM ("
                + jvm + "): fix or drop the flag");
    }

    private void abortOpen() {
        List<Worker> started;
        synchronized (guard) {
            released = true;
            started = liveWorkers();
        }
        for (Worker w : started) w.kill();
        launcher.release(Duration.ZERO);
        try {
            launcher.awaitExit(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ introspection

    /** Start-up time (spawn to ready) of the workers started so far (the latest 1024), replacements included. */
    public List<Duration> workerStartTimes() {
        synchronized (startTimes) {
            return List.copyOf(startTimes);
        }
    }

    /** Process ids of the workers serving now. */
    public List<Long> workerPids() {
        synchronized (guard) {
            return liveWorkers().stream().map(w -> w.pid).toList();
        }
    }

    /** The AOT cache file the workers start with (or the first one trains), or {@code null}: see {@link AotCache}. */
    public java.nio.file.Path workerAotCache() {
        return launcher.aotCache();
    }

    /** Worker processes alive now, including ones starting or exiting. */
    public int aliveProcesses() {
        return launcher.alive();
    }

    private List<Worker> liveWorkers() {
        List<Worker> out = new ArrayList<>();
        for (Worker w : workers) if (w != null) out.add(w);
        return out;
    }

    // ------------------------------------------------------------------ resizing

    private void startSlot(int index, CompletableFuture<Void> firstReady) {
        Thread t = new Thread(null, () -> slot(index, firstReady), "railyard-processes-slot-" + index, 256 * 1024);
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void resize(int n) {
        if (n < 1 || n > concurrency)
            throw new IllegalArgumentException("workers must be from 1 to the concurrency (" + concurrency + "), was " + n);
        List<Integer> toStart = new ArrayList<>();
        List<Worker> toRetire = new ArrayList<>();
        synchronized (guard) {
            if (released || broken != null) return;
            target = n;
            for (int i = 0; i < n; i++) {
                if (!slotThread[i]) {
                    slotThread[i] = true;
                    toStart.add(i);
                }
            }
            for (Worker w : idle) if (w.index >= n) toRetire.add(w);
            idle.removeAll(toRetire);
        }
        for (Worker w : toRetire) w.shutdown(); // its slot thread sees the stream end and, unwanted, exits
        for (int i : toStart) startSlot(i, new CompletableFuture<>());
    }

    @Override
    public int workers() {
        synchronized (guard) {
            return liveWorkers().size();
        }
    }

    // ------------------------------------------------------------------ slot threads

    /** The life of slot {@code index}: start a worker, serve it until it is gone, replace it while needed. */
    private void slot(int index, CompletableFuture<Void> firstReady) {
        boolean first = true;
        int failures = 0;
        while (true) {
            Worker w;
            try {
                w = launcher.start(index);
            } catch (IOException | RuntimeException e) {
                if (first) {
                    synchronized (guard) {
                        slotThread[index] = false;
                    }
                    firstReady.completeExceptionally(e);
                    return;
                }
                if (leave(index)) return;
                if (++failures >= MAX_START_FAILURES) {
                    synchronized (guard) {
                        slotThread[index] = false;
                    }
                    giveUp(index, e);
                    return;
                }
                warn("worker " + index + " could not be replaced (attempt " + failures + " of " + MAX_START_FAILURES + "): " + e.getMessage());
                sleep(250L * failures);
                continue;
            }
            failures = 0;
            synchronized (startTimes) {
                if (startTimes.size() == START_TIMES_KEPT) startTimes.removeFirst();
                startTimes.addLast(Duration.ofNanos(w.startupNanos));
            }
            if (!install(w)) {
                w.kill();
                synchronized (guard) {
                    slotThread[index] = false;
                }
                firstReady.complete(null);
                return;
            }
            if (first) {
                first = false;
                firstReady.complete(null);
            }
            serve(w);
            if (leave(index)) return;
        }
    }

    /**
     * Whether slot {@code index}'s thread should end instead of starting a replacement: the pool
     * needs no worker, or the slot is beyond the target. Decided and recorded under the guard, so a
     * {@link #resize} racing with it either sees the thread still there or starts a new one.
     */
    private boolean leave(int index) {
        synchronized (guard) {
            if (wanted() && index < target) return false;
            slotThread[index] = false;
            return true;
        }
    }

    private boolean install(Worker w) {
        synchronized (guard) {
            if (released || w.index >= target) return false; // resized down while it started
            workers[w.index] = w;
        }
        workerFree(w);
        return true;
    }

    /** Reads the worker's answers until its stream ends, then fails its in-flight task, if any. */
    private void serve(Worker w) {
        try {
            Frame f;
            while ((f = w.read()) != null) {
                if (f instanceof Result r) onResult(w, r);
                else if (f instanceof Failure fl) onFailure(w, fl);
                else if (f instanceof Frame.ClockReading c) clockRead(w, c);
                else throw new FrameException("unexpected " + f.getClass().getSimpleName() + " frame from " + w);
            }
        } catch (FrameException e) {
            // a malformed or unexpected frame: the worker cannot be trusted any more
            if (!w.killedOnPurpose()) warn(w + " broke the frame protocol, replacing it: " + e.getMessage());
            w.kill();
        } catch (IOException e) {
            // "connection reset" and the like: the worker died with bytes unread, an end of stream too
        }
        TaskRun<?> run;
        synchronized (guard) {
            w.gone = true;
            run = w.inFlight;
            w.inFlight = null;
            idle.remove(w);
            if (workers[w.index] == w) workers[w.index] = null;
        }
        // a training worker's JVM assembles the AOT cache after its pipes close: killing it loses the cache
        int status = w.awaitExit(w.trainsAotCache() ? WorkerLauncher.TRAINING_GRACE : Duration.ofSeconds(5));
        w.closeChannel();
        if (run != null) run.fail(new WorkerDiedException(w.index, w.pid, status, run.taskId(), w.lastOutput()));
    }

    private void onResult(Worker w, Result r) throws FrameException {
        TaskRun<?> run = takeInFlight(w, r.taskId());
        Answer answer = queue.result(r.taskId(), r.payload());
        next(w); // keep the worker busy before running the caller's completion callbacks
        run.cpuTime(r.cpuNanos());
        run.startedAt(w.localNanos(r.startNanos()), w.clockEstimated());
        answer.deliver(run);
    }

    private void onFailure(Worker w, Failure f) throws FrameException {
        TaskRun<?> run = takeInFlight(w, f.taskId());
        Answer answer = queue.failure(f.exception(), () -> f.error().toRemoteException());
        next(w);
        run.cpuTime(f.cpuNanos());
        run.startedAt(w.localNanos(f.startNanos()), w.clockEstimated());
        answer.deliver(run);
    }

    /** The worker's answer to the clock check its launcher sent after Ready (see {@link Worker#clockRead}). */
    private static void clockRead(Worker w, Frame.ClockReading c) {
        String warning = w.clockRead(c.nanos(), System.nanoTime());
        if (warning != null) warn(warning);
    }

    private TaskRun<?> takeInFlight(Worker w, long taskId) throws FrameException {
        synchronized (guard) {
            TaskRun<?> run = w.inFlight;
            if (run == null || run.taskId() != taskId)
                throw new FrameException(w + " answered task " + taskId + " but was running " + run);
            w.inFlight = null;
            return run;
        }
    }

    /** The worker answered: retire it if it has done its share or its slot is beyond the target, else give it the next task. */
    private void next(Worker w) {
        if (options.maxTasksPerWorker() > 0 && ++w.tasksDone >= options.maxTasksPerWorker()) {
            w.shutdown(); // its stream ends when it exits; the slot thread then starts a replacement
            return;
        }
        boolean surplus;
        synchronized (guard) {
            surplus = w.index >= target;
        }
        if (surplus) {
            w.shutdown(); // resized down: its slot thread sees the stream end and exits
            return;
        }
        workerFree(w);
    }

    /** True while the slots should have workers: the pool runs, or queued tasks still need one. Under the guard. */
    private boolean wanted() {
        synchronized (guard) {
            if (released || broken != null) return false;
            return state() == PoolState.RUNNING || queue.hasPending();
        }
    }

    /** Slot {@code index} cannot start a worker; when no slot can, the pool is broken. */
    private void giveUp(int index, Exception e) {
        List<Queued> orphans = List.of();
        IllegalStateException error = null;
        synchronized (guard) {
            boolean anySlot = false;
            for (boolean b : slotThread) anySlot |= b;
            if (!anySlot && !released) {
                broken = error = new IllegalStateException("the processes pool has no worker left: worker " + index
                        + " cannot be started: " + e.getMessage(), e);
                orphans = queue.takeAll();
            }
        }
        warn("gave up replacing worker " + index + ": " + e.getMessage());
        for (Queued q : orphans) q.failUnsent(error);
    }

    // ------------------------------------------------------------------ dispatching

    @Override
    protected void dispatch(TaskRun<?> run) {
        Queued q = encode(run);
        Worker w;
        synchronized (guard) {
            if (broken != null) throw new RejectedExecutionException(broken.getMessage(), broken);
            w = idle.pollFirst();
            if (w == null) {
                queue.add(q);
                return;
            }
            w.inFlight = run;
        }
        launch(w, q);
    }

    /** The run's task encoded; refused when it cannot be, or when its Task frame would exceed {@code maxFrameBytes}. */
    private Queued encode(TaskRun<?> run) {
        Queued q = queue.encode(run);
        if (q.payload().length > FrameCodec.maxTaskPayload(options.maxFrameBytes()))
            throw new RejectedExecutionException("task " + run.task().getClass().getName() + " encodes to " + q.payload().length
                    + " bytes, more than a frame may hold: raise pool option maxFrameBytes (now " + options.maxFrameBytes() + ")");
        return q;
    }

    /** A worker is free: give it the oldest queued task still pending, or mark it idle. */
    private void workerFree(Worker w) {
        Queued q;
        synchronized (guard) {
            if (w.gone || released) return;
            q = queue.nextPending();
            if (q == null) {
                idle.addLast(w);
                return;
            }
            w.inFlight = q.run();
        }
        launch(w, q);
    }

    /** Starts {@code q} on {@code w}, whose in-flight task it already is; skips tasks cancelled meanwhile. */
    private void launch(Worker w, Queued q) {
        while (!q.run().start(w.index)) {
            synchronized (guard) {
                if (w.inFlight == q.run()) w.inFlight = null;
                if (w.gone || released) return;
                q = queue.nextPending();
                if (q == null) {
                    idle.addLast(w);
                    return;
                }
                w.inFlight = q.run();
            }
        }
        try {
            w.send(new Task(q.run().taskId(), q.payload()));
        } catch (IOException e) {
            w.kill(); // its slot thread sees the end of stream and fails the task
        }
    }

    // ------------------------------------------------------------------ stopping

    @Override
    protected void stopRunning(TaskRun<?> run) {
        Worker victim = null;
        synchronized (guard) {
            for (Worker w : workers) if (w != null && w.inFlight == run) victim = w;
        }
        if (victim != null) victim.kill();
    }

    @Override
    protected void releaseWorkers() {
        List<Worker> toStop;
        synchronized (guard) {
            released = true;
            toStop = liveWorkers();
            idle.clear();
        }
        for (Worker w : toStop) w.shutdown();
        launcher.release(EXIT_GRACE);
    }

    @Override
    protected void joinWorkers(Duration timeout) throws InterruptedException {
        launcher.awaitExit(timeout);
    }

    private static void warn(String message) {
        System.err.println("railyard processes: " + message);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
