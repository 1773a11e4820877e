package io.railyard.core.autoscale;

import io.railyard.core.AsyncTask;
import io.railyard.core.BlockingTask;
import io.railyard.core.LagReporting;
import io.railyard.core.ModelProvider;
import io.railyard.core.Models;
import io.railyard.core.OverloadFeedback;
import io.railyard.core.PoolSpec;
import io.railyard.core.PoolState;
import io.railyard.core.Resizable;
import io.railyard.core.TaskFuture;
import io.railyard.core.TaskPool;
import io.railyard.core.pool.AbstractTaskPool;
import io.railyard.core.pool.SlotDispatcher;
import io.railyard.core.pool.TaskRun;
import io.railyard.core.time.TimeSource;
import io.railyard.core.trace.TraceRecorder;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A pool of any model that keeps a run inside a {@link Budget} while getting the most throughput
 * out of it: the seed's "maximize the free tier's resource utilization without touching its limit".
 * It opens the model at the budget's maximum concurrency and decides, sample by sample, how many
 * tasks it hands to it (the desired concurrency), so it needs nothing from a model except, for
 * models with costly workers ({@code processes}), the {@link Resizable} hook to start workers only
 * when one fits and retire them before memory reaches the budget.
 *
 * <pre>
 *   submit --> [ gate queue ] --(in flight &lt; limit, rate allows)--> model.submit --> runs
 *                   ^                                                       |
 *                   +------ a finished task frees its slot, starts the next -+
 *
 *   sampling tick, every 50 ms on the pool's TimeSource:
 *     LoadSource.read() + counters --> Controller.onSample --> limit (the gate)
 *                                                          --> workers (Resizable.resize)
 *                                                          --> stop the youngest task (memory)
 *                                                          --> decisions + time series
 * </pre>
 *
 * The algorithm is the {@link Controller}: {@link RailyardController} by default (its class comment
 * says why memory stays under the budget, and under which assumptions), or Crawlee's classic
 * {@code AutoscaledPool} as the baseline ({@link CrawleeController}). Tasks that talk to a server
 * tell the pool how it answered with {@link #reportResponse(int)}: a share of 429/503 answers is the
 * client-overload signal. The loop's lag comes from a model that is {@link LagReporting} or from
 * {@link AutoscaleOptions#loopLag()}.
 *
 * <h2>Semantics beside the model's</h2>
 * {@link #concurrency()} is the budget's maximum; {@link #desiredConcurrency()} what the
 * autoscaler currently allows. A task's running time (its timeout) counts from when the gate hands
 * it to the model. A task the model refuses at submit (e.g. one {@code processes} cannot encode)
 * fails its future with the model's {@link java.util.concurrent.RejectedExecutionException} instead
 * of throwing from {@code submit}, since the model sees it only when the gate lets it through.
 * Traces are recorded here, with the gate's lane as the worker. Every decision is kept (see
 * {@link #report()}), handed to {@link AutoscaleOptions#listener()} and logged at DEBUG through
 * {@link System.Logger} (logger {@code io.railyard.core.autoscale.AutoscaledPool}).
 *
 * <h2>Lifecycle</h2>
 * The pool's {@link PoolState}s. Sampling starts in the constructor (one sample at once, then one
 * per period) and stops when the pool terminates; the model is then closed (or shut down, after
 * {@link #shutdownNow()}) on a thread of its own, since the last task may finish on one of the
 * model's threads, which must not wait for itself; {@link #close()} joins that thread.
 *
 * <h2>Threads</h2>
 * Thread-safe. The gate (a {@link SlotDispatcher}: queue, in-flight count, limit) is lock-free and
 * used from submitting threads, from the model's threads that finish tasks, and from the tick. The
 * controller, the load source and the resize calls are touched only by the tick, which the time
 * source runs one at a time (each tick schedules the next when it ends).
 */
public final class AutoscaledPool extends AbstractTaskPool implements OverloadFeedback {

    private static final System.Logger LOG = System.getLogger(AutoscaledPool.class.getName());
    /** Cap on kept series points (2.7 hours at 50 ms); later points are not kept. */
    static final int MAX_SERIES_POINTS = 200_000;

    /** A task handed to the model: its outer run, the model's future, when and on which lane. */
    private static final class Running {
        final TaskRun<?> run;
        final long startNanos;
        final int lane;
        volatile TaskFuture<?> inner;

        Running(TaskRun<?> run, long startNanos, int lane) {
            this.run = run;
            this.startNanos = startNanos;
            this.lane = lane;
        }
    }

    private final TaskPool delegate;
    private final Resizable resizable;
    private final LongSupplier lag;
    private final Budget budget;
    private final AutoscaleOptions options;
    private final LoadSource load;
    private final Controller controller;
    private final long openNanos;

    // the gate: its slots are the limit
    private final SlotDispatcher gate;
    private volatile int limit;
    private volatile int desired;
    private final ConcurrentHashMap<Long, Running> running = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Integer> freeLanes = new ConcurrentLinkedQueue<>();
    private final AtomicInteger lanes = new AtomicInteger();

    // counters read by the tick
    private final LongAdder completed = new LongAdder();
    private final LongAdder completedNanos = new LongAdder();
    private final DoubleAdder completedSquares = new DoubleAdder();
    private final LongAdder responses = new LongAdder();
    private final LongAdder overloads = new LongAdder();
    private final LongAdder stopped = new LongAdder();
    /** Whether the budget can be kept at all; touched by the tick only. */
    private final BudgetFeasibility feasibility;
    /** Why the run was given up as impossible within the budget, or null. */
    private volatile String impossible;

    // written by the tick only; read by anyone through the synchronized lists
    private final List<ScalingDecision> decisions = Collections.synchronizedList(new ArrayList<>());
    private final List<SeriesPoint> series = Collections.synchronizedList(new ArrayList<>());
    private volatile long peakRss;
    private volatile long samplesOverBudget;
    private LoadReading previousReading;
    private long previousNanos;
    private int workersAsked = -1;

    private final Object tickLock = new Object();
    private TimeSource.Cancellable nextTick; // guarded by tickLock
    private boolean ticking = true;         // guarded by tickLock

    /**
     * Opens {@code model} at the budget's maximum concurrency and autoscales it. A {@link Resizable}
     * model starts with one worker; the model sizes its pool to the memory budget
     * ({@link ModelProvider#optionsWithinMemory}: worker JVMs get {@code -XX:MaxRAM=} the budget).
     */
    public static AutoscaledPool open(String model, PoolSpec spec, Budget budget, AutoscaleOptions options) {
        ModelProvider provider = Models.get(model); // an unknown model fails here, naming the known ones
        Map<String, String> modelOptions = new HashMap<>(spec.options());
        if (provider.has(Resizable.class)) modelOptions.putIfAbsent(Resizable.INITIAL_WORKERS_OPTION, "1");
        modelOptions = provider.optionsWithinMemory(budget.maxMemoryBytes(), modelOptions);
        PoolSpec inner = spec.withConcurrency(budget.maxConcurrency()).withTrace(TraceRecorder.disabled()).withOptions(modelOptions);
        TaskPool delegate = provider.open(inner);
        try {
            return new AutoscaledPool(delegate, spec, budget, options);
        } catch (RuntimeException | Error e) {
            delegate.shutdownNow();
            throw e;
        }
    }

    /**
     * Autoscales an open pool. Its concurrency is the most this pool will ever hand it (the budget's
     * maximum is lowered to it if larger). The pool owns {@code delegate} from now on and closes it.
     * {@code spec} gives the clock and the trace recorder.
     *
     * @throws BudgetException if the tree already uses more memory than the budget
     */
    public AutoscaledPool(TaskPool delegate, PoolSpec spec, Budget budget, AutoscaleOptions options) {
        super(delegate.model(), spec.withConcurrency(Math.min(budget.maxConcurrency(), delegate.concurrency())));
        this.delegate = delegate;
        this.budget = budget.withMaxConcurrency(concurrency);
        this.options = options;
        this.resizable = delegate.capability(Resizable.class).orElse(null);
        this.lag = options.loopLag() != null ? options.loopLag()
                : delegate.capability(LagReporting.class).map(l -> (LongSupplier) l::lagNanos).orElse(null);
        this.load = options.load() != null ? options.load() : LoadSource.processTree();
        this.controller = switch (options.mode()) {
            case RAILYARD -> new RailyardController(this.budget, options);
            case CRAWLEE -> new CrawleeController(this.budget, options);
        };
        this.gate = new SlotDispatcher(1, budget.maxTasksPerMinute() > 0 ? new RateLimit(budget.maxTasksPerMinute(), time) : null,
                this::launch);
        this.feasibility = new BudgetFeasibility(this.budget.maxMemoryBytes());
        this.openNanos = time.nanoTime();
        LoadReading first = reading();
        if (first.rssBytes() > this.budget.maxMemoryBytes())
            throw new BudgetException("the memory budget of " + Budget.mib(this.budget.maxMemoryBytes())
                    + " is already exceeded: this process tree uses " + Budget.mib(first.rssBytes()) + ": give a larger budget");
        Verdict v = controller.initial();
        apply(v);
        sample(first); // the first sample now, so the gate's limit and the series start at open
        synchronized (tickLock) {
            nextTick = time.schedule(options.samplePeriod(), this::tick);
        }
    }

    // ---------------------------------------------------------------- what callers see

    /** How many tasks the autoscaler currently wants running. */
    public int desiredConcurrency() {
        return desired;
    }

    /** How many tasks the gate lets run right now (the desired concurrency, lowered while memory has no room). */
    public int limit() {
        return limit;
    }

    /** Tasks handed to the model and not finished. */
    public int inFlight() {
        return gate.busy();
    }

    public Budget budget() {
        return budget;
    }

    public AutoscaleOptions.Mode mode() {
        return options.mode();
    }

    /**
     * Its own capabilities ({@link OverloadFeedback}), then those of the model it drives: every
     * capability interface but {@link Resizable}, since the autoscaler alone sets how many workers
     * live (an autoscaled {@code loop} is a {@link io.railyard.core.SingleEventLoop}, and
     * {@link LagReporting}).
     */
    @Override
    public <C> Optional<C> capability(Class<C> capability) {
        if (capability.isInstance(this)) return Optional.of(capability.cast(this));
        if (capability == Resizable.class || !capability.isInterface()) return Optional.empty();
        return delegate.capability(capability);
    }

    /**
     * A task (or its caller) reports how a server answered: 429 (Too Many Requests) and 503
     * (Service Unavailable) count as "overloaded", anything else as fine. Any thread, cheap.
     */
    @Override
    public void reportResponse(int httpStatus) {
        reportOverload(httpStatus == 429 || httpStatus == 503);
    }

    /** Reports one client answer: {@code overloaded} when the server said to slow down. Any thread. */
    @Override
    public void reportOverload(boolean overloaded) {
        responses.increment();
        if (overloaded) overloads.increment();
    }

    /** Every scaling decision so far, in order. */
    public List<ScalingDecision> decisions() {
        synchronized (decisions) {
            return List.copyOf(decisions);
        }
    }

    /** The time series so far, one point per sample. */
    public List<SeriesPoint> series() {
        synchronized (series) {
            return List.copyOf(series);
        }
    }

    /** Decisions, series and the budget lines: the report of this run so far. */
    public AutoscaleReport report() {
        List<SeriesPoint> s = series();
        return new AutoscaleReport(options.mode().label(), budget.maxMemoryBytes(), budget.maxCpuCores(), budget.maxConcurrency(),
                decisions(), s, peakRss, samplesOverBudget, stopped.sum(), desired, AutoscaleReport.steadyAfter(s));
    }

    // ---------------------------------------------------------------- the gate

    /**
     * Queues the run at the gate, a {@link SlotDispatcher} whose slots are the limit: it starts
     * while fewer than the limit are in flight and the tasks-per-minute budget allows. A tick that
     * raises the limit, or after which the rate allows more, drains the gate.
     */
    @Override
    protected void dispatch(TaskRun<?> run) {
        gate.offer(run);
    }

    /** The gate's launcher; never throws (a model's refusal fails the run). */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private void launch(TaskRun<?> run) {
        String why = impossible;
        if (why != null) throw new OverBudgetException(why); // the gate fails the run and goes on draining
        Integer free = freeLanes.poll();
        int lane = free != null ? free : lanes.getAndIncrement();
        if (!run.start(lane)) { // cancelled between the queue and here
            slotFreed(lane);
            return;
        }
        Running r = new Running(run, time.nanoTime(), lane);
        running.put(run.taskId(), r);
        TaskFuture<?> inner;
        try {
            inner = run.isBlocking() ? delegate.submit((BlockingTask) run.task()) : delegate.submitAsync((AsyncTask) run.task());
        } catch (RuntimeException | Error e) {
            running.remove(run.taskId());
            run.fail(e);
            slotFreed(lane);
            return;
        }
        r.inner = inner;
        if (run.future().isDone()) inner.cancel(true); // cancelled or timed out while being handed over
        inner.whenComplete((v, e) -> finished(r, v, e));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void finished(Running r, Object value, Throwable error) {
        running.remove(r.run.taskId());
        completed.increment();
        long took = Math.max(0, time.nanoTime() - r.startNanos);
        completedNanos.add(took);
        completedSquares.add((took / 1e9) * (took / 1e9));
        // the trace's start is the delegate's: where the task's code began, not this pool's hand-off
        if (r.inner != null) r.run.startedAt(r.inner.startNanos(), r.inner.startEstimated());
        if (error == null) ((TaskRun) r.run).complete(value);
        else r.run.fail(TaskFuture.unwrap(error));
        slotFreed(r.lane);
    }

    private void slotFreed(int lane) {
        freeLanes.add(lane);
        gate.release();
    }

    @Override
    protected void stopRunning(TaskRun<?> run) {
        Running r = running.get(run.taskId());
        if (r != null && r.inner != null) r.inner.cancel(true);
    }

    /**
     * Why the run was given up because its budget cannot be kept (see {@link BudgetFeasibility}), or
     * null. Once set, every task still queued or running fails with an {@link OverBudgetException}
     * saying so, and later ones fail at once: a run that cannot keep its budget stops rather than
     * crawling along one task at a time.
     */
    public String impossible() {
        return impossible;
    }

    private void giveUp(String why) {
        impossible = why;
        decided(new ScalingDecision((time.nanoTime() - openNanos) / 1e9, desired, 0, ScalingDecision.Reason.MEMORY_STOP, why,
                peakRss, 0, -1, 0, gate.busy(), gate.queued(), 0));
        for (Running r : running.values()) {
            if (r.run.future().completeExceptionally(new OverBudgetException(why))) {
                TaskFuture<?> inner = r.inner;
                if (inner != null) inner.cancel(true);
            }
        }
        gate.drain(); // every queued run now fails at the launcher
    }

    /** Stops the youngest running task to keep memory under the budget; its future fails with {@link OverBudgetException}. */
    private void stopYoungest(LoadReading reading) {
        Running youngest = null;
        for (Running r : running.values()) if (youngest == null || r.startNanos > youngest.startNanos) youngest = r;
        if (youngest == null) return;
        if (youngest.run.future().completeExceptionally(new OverBudgetException("task " + youngest.run.taskId()
                + " was stopped to keep memory under the budget: the process tree used " + Budget.mib(reading.rssBytes())
                + " of " + Budget.mib(budget.maxMemoryBytes()) + " and was still growing"))) {
            stopped.increment();
            TaskFuture<?> inner = youngest.inner;
            if (inner != null) inner.cancel(true);
        }
    }

    // ---------------------------------------------------------------- the tick

    private void tick() {
        try {
            LoadReading reading;
            try {
                reading = reading();
            } catch (RuntimeException e) {
                return; // a failed reading (a process gone mid-read) skips one sample; the next one retries
            }
            sample(reading);
        } catch (RuntimeException | Error e) {
            LOG.log(System.Logger.Level.ERROR, "autoscaler sample failed; the next sample retries", e);
            throw e;
        } finally {
            synchronized (tickLock) {
                if (ticking) nextTick = time.schedule(options.samplePeriod(), this::tick);
            }
        }
    }

    private LoadReading reading() {
        LoadReading r = load.read();
        return lag != null ? r.withLagNanos(lag.getAsLong()) : r;
    }

    private void sample(LoadReading reading) {
        long now = time.nanoTime() - openNanos;
        int workers = resizable != null ? resizable.workers() : -1;
        Observation o = new Observation(now, reading, gate.busy(), gate.queued(), workers,
                completed.sum(), completedNanos.sum(), completedSquares.sum(), responses.sum(), overloads.sum());
        Verdict v = controller.onSample(o, this::decided);
        String why = impossible == null ? feasibility.observe(now, reading.rssBytes(), o.inFlight(), v.stop(), completed.sum()) : null;
        if (why != null) giveUp(why);
        apply(v);
        for (int i = 0; i < v.stop(); i++) stopYoungest(reading);

        peakRss = Math.max(peakRss, reading.rssBytes());
        if (reading.rssBytes() > budget.maxMemoryBytes()) samplesOverBudget++;
        double cores = previousReading == null || now <= previousNanos ? 0
                : (reading.cpuNanos() - previousReading.cpuNanos()) / (double) (now - previousNanos);
        previousReading = reading;
        previousNanos = now;
        synchronized (series) {
            if (series.size() < MAX_SERIES_POINTS)
                series.add(new SeriesPoint(now / 1e9, v.desired(), v.limit(), o.inFlight(), o.queued(), workers,
                        reading.rssBytes(), cores, reading.lagNanos() < 0 ? -1 : reading.lagNanos() / 1e6));
        }
        gate.drain(); // the limit may have risen, or the rate may allow more by now
    }

    private void apply(Verdict v) {
        desired = v.desired();
        limit = Math.max(1, Math.min(v.limit(), concurrency));
        gate.setSlots(limit);
        int w = Math.max(1, Math.min(v.workers(), concurrency));
        if (resizable != null && w != workersAsked) {
            workersAsked = w;
            resizable.resize(w);
        }
    }

    private void decided(ScalingDecision d) {
        LOG.log(System.Logger.Level.DEBUG, d::toString);
        decisions.add(d);
        if (options.listener() != null) options.listener().accept(d);
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    protected void releaseWorkers() {
        boolean stopping = state() == PoolState.STOPPING;
        synchronized (tickLock) {
            ticking = false;
            if (nextTick != null) nextTick.cancel();
        }
        // close() of the model waits for its tasks; this may run on one of its threads, so not here
        releaseOnOwnThread("railyard-autoscale-close", () -> {
            if (stopping) delegate.shutdownNow();
            delegate.close();
        });
        gate.clear();
    }

    @Override
    public String toString() {
        return "autoscaled " + super.toString() + " (" + options.mode().label() + ", desired " + desired + ", " + budget + ")";
    }

    /** The tasks-per-minute budget, the gate's admission: start times of the last minute. Thread-safe. */
    private static final class RateLimit implements SlotDispatcher.Admission {
        private static final long MINUTE = 60_000_000_000L;
        private final int perMinute;
        private final TimeSource time;
        private final ArrayDeque<Long> starts = new ArrayDeque<>();

        RateLimit(int perMinute, TimeSource time) {
            this.perMinute = perMinute;
            this.time = time;
        }

        @Override
        public synchronized boolean tryAcquire() {
            long now = time.nanoTime();
            while (!starts.isEmpty() && now - starts.peekFirst() >= MINUTE) starts.removeFirst();
            if (starts.size() >= perMinute) return false;
            starts.addLast(now);
            return true;
        }

        @Override
        public synchronized void refund() {
            starts.pollLast();
        }
    }
}
