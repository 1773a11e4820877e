package io.railyard.core.autoscale;

import io.railyard.core.autoscale.ScalingDecision.Reason;

import java.util.ArrayDeque;
import java.util.Locale;

/**
 * Crawlee's classic {@code AutoscaledPool} + {@code Snapshotter} + {@code SystemStatus} with their
 * default settings, reproduced as railyard's baseline (mode {@code crawlee}). What it does:
 * <ul>
 *   <li>Snapshots: memory and CPU every 1 s, the event loop every 0.5 s, the client every 1 s,
 *       kept for 30 s. A memory snapshot is overloaded when RSS exceeds 0.7 of the budget
 *       ({@code maxUsedMemoryRatio}); CPU when use exceeds 0.95 of the budget's cores
 *       ({@code maxUsedCpuRatio}; Crawlee reads the machine's load, railyard the tree's use against
 *       the budget); the loop when it lagged more than 50 ms ({@code maxBlockedMillis}); the client
 *       when more than 3 overload answers (429/503) arrived since the previous snapshot
 *       ({@code maxClientErrors}).</li>
 *   <li>A signal is overloaded when the time-weighted share of overloaded snapshots exceeds its
 *       ratio: memory 0.2, event loop 0.6, CPU 0.4, client 0.3; the system is idle when none is.</li>
 *   <li>Every 10 s ({@code autoscaleIntervalSecs}), over the whole 30 s history: if idle, the
 *       desired concurrency is below the maximum and at least 0.9 of it is running
 *       ({@code desiredConcurrencyRatio}), it grows by {@code ceil(desired * 0.05)}
 *       ({@code scaleUpStepRatio}); if not idle, it shrinks by {@code ceil(desired * 0.05)}
 *       ({@code scaleDownStepRatio}), never below 1 ({@code minConcurrency}). It starts at 1.</li>
 *   <li>A task starts only while fewer than the desired run and the last 5 s
 *       ({@code currentHistorySecs}) were idle, or fewer than {@code minConcurrency} run.</li>
 * </ul>
 * For {@code processes} the workers follow the desired concurrency. Crawlee has no memory
 * projection and no stop rule: memory is only noticed once 0.7 of the budget is used, and the
 * answer is 5% less concurrency per 10 s.
 *
 * <p>Not thread-safe: called from the pool's sampling tick only.
 */
final class CrawleeController implements Controller {

    static final int MIN_CONCURRENCY = 1;
    static final double DESIRED_CONCURRENCY_RATIO = 0.9;
    static final double SCALE_UP_STEP_RATIO = 0.05;
    static final double SCALE_DOWN_STEP_RATIO = 0.05;
    static final long AUTOSCALE_INTERVAL_NANOS = 10_000_000_000L;
    static final long SNAPSHOT_HISTORY_NANOS = 30_000_000_000L;
    static final long CURRENT_HISTORY_NANOS = 5_000_000_000L;
    static final long MEMORY_SNAPSHOT_NANOS = 1_000_000_000L;
    static final long CPU_SNAPSHOT_NANOS = 1_000_000_000L;
    static final long EVENT_LOOP_SNAPSHOT_NANOS = 500_000_000L;
    static final long CLIENT_SNAPSHOT_NANOS = 1_000_000_000L;
    static final double MAX_USED_MEMORY_RATIO = 0.7;
    static final double MAX_USED_CPU_RATIO = 0.95;
    static final int MAX_CLIENT_ERRORS = 3;
    static final double MAX_MEMORY_OVERLOADED_RATIO = 0.2;
    static final double MAX_EVENT_LOOP_OVERLOADED_RATIO = 0.6;
    static final double MAX_CPU_OVERLOADED_RATIO = 0.4;
    static final double MAX_CLIENT_OVERLOADED_RATIO = 0.3;

    /** One snapshot of one resource: when, and whether it was overloaded. */
    private record Snapshot(long nanos, boolean overloaded) {}

    /** A resource's snapshots over the history, taken every {@code interval}. */
    private static final class History {
        final long interval;
        final ArrayDeque<Snapshot> snapshots = new ArrayDeque<>();
        long lastAt = Long.MIN_VALUE;

        History(long interval) {
            this.interval = interval;
        }

        boolean due(long now) {
            return lastAt == Long.MIN_VALUE || now - lastAt >= interval;
        }

        void add(long now, boolean overloaded) {
            lastAt = now;
            while (!snapshots.isEmpty() && now - snapshots.peekFirst().nanos > SNAPSHOT_HISTORY_NANOS) snapshots.removeFirst();
            snapshots.addLast(new Snapshot(now, overloaded));
        }

        /**
         * SystemStatus._isSampleOverloaded: the time-weighted share of overloaded snapshots among
         * those of the last {@code window} (all of them when {@code window} is 0).
         */
        double overloadedShare(long now, long window) {
            Snapshot previous = null;
            double weighted = 0, weights = 0;
            int n = 0;
            boolean only = false;
            long latest = snapshots.isEmpty() ? now : snapshots.peekLast().nanos;
            for (Snapshot s : snapshots) {
                if (window > 0 && latest - s.nanos > window) continue;
                n++;
                only = s.overloaded;
                if (previous != null) {
                    double w = Math.max(1, (s.nanos - previous.nanos) / 1e6); // ms; 0-length intervals weigh 1
                    weighted += w * (s.overloaded ? 1 : 0);
                    weights += w;
                }
                previous = s;
            }
            if (n == 0) return 0;
            if (n == 1) return only ? 1 : 0;
            return weighted / weights;
        }
    }

    private final Budget budget;
    private final long maxLagNanos;
    private final History memory = new History(MEMORY_SNAPSHOT_NANOS);
    private final History cpu = new History(CPU_SNAPSHOT_NANOS);
    private final History loop = new History(EVENT_LOOP_SNAPSHOT_NANOS);
    private final History client = new History(CLIENT_SNAPSHOT_NANOS);

    private int desired = MIN_CONCURRENCY;
    private long lastAutoscale = Long.MIN_VALUE;
    private Observation lastCpu, lastClient;
    private double lastCores;

    CrawleeController(Budget budget, AutoscaleOptions options) {
        this.budget = budget;
        this.maxLagNanos = options.maxLag().toNanos();
    }

    @Override
    public Verdict initial() {
        return new Verdict(desired, desired, desired, 0);
    }

    @Override
    public Verdict onSample(Observation o, DecisionLog log) {
        long now = o.nanos();
        if (lastAutoscale == Long.MIN_VALUE) {
            lastAutoscale = now;
            lastCpu = o;
            lastClient = o;
        }
        snapshot(o);
        if (now - lastAutoscale >= AUTOSCALE_INTERVAL_NANOS) {
            lastAutoscale = now;
            autoscale(o, log);
        }
        // _maybeRunTask: start while under the desired concurrency and currently idle (or under the minimum)
        int limit = idle(now, CURRENT_HISTORY_NANOS) ? desired : Math.min(desired, MIN_CONCURRENCY);
        return new Verdict(desired, limit, desired, 0);
    }

    private void snapshot(Observation o) {
        long now = o.nanos();
        if (memory.due(now)) memory.add(now, o.load().rssBytes() > MAX_USED_MEMORY_RATIO * budget.maxMemoryBytes());
        if (cpu.due(now)) {
            double seconds = (now - lastCpu.nanos()) / 1e9;
            double cores = seconds > 0 ? (o.load().cpuNanos() - lastCpu.load().cpuNanos()) / 1e9 / seconds : 0;
            cpu.add(now, cores > MAX_USED_CPU_RATIO * budget.maxCpuCores());
            lastCpu = o;
            lastCores = cores;
        }
        if (loop.due(now) && o.load().lagNanos() >= 0) loop.add(now, o.load().lagNanos() > maxLagNanos);
        if (client.due(now)) {
            client.add(now, o.overloads() - lastClient.overloads() > MAX_CLIENT_ERRORS);
            lastClient = o;
        }
    }

    private boolean idle(long now, long window) {
        return memory.overloadedShare(now, window) <= MAX_MEMORY_OVERLOADED_RATIO
                && loop.overloadedShare(now, window) <= MAX_EVENT_LOOP_OVERLOADED_RATIO
                && cpu.overloadedShare(now, window) <= MAX_CPU_OVERLOADED_RATIO
                && client.overloadedShare(now, window) <= MAX_CLIENT_OVERLOADED_RATIO;
    }

    /** AutoscaledPool._autoscale over the whole snapshot history. */
    private void autoscale(Observation o, DecisionLog log) {
        long now = o.nanos();
        double mem = memory.overloadedShare(now, 0), lp = loop.overloadedShare(now, 0),
                cp = cpu.overloadedShare(now, 0), cl = client.overloadedShare(now, 0);
        boolean idle = mem <= MAX_MEMORY_OVERLOADED_RATIO && lp <= MAX_EVENT_LOOP_OVERLOADED_RATIO
                && cp <= MAX_CPU_OVERLOADED_RATIO && cl <= MAX_CLIENT_OVERLOADED_RATIO;
        String status = String.format(Locale.ROOT, "overloaded shares: memory %.2f/%.1f, cpu %.2f/%.1f, loop %.2f/%.1f, client %.2f/%.1f",
                mem, MAX_MEMORY_OVERLOADED_RATIO, cp, MAX_CPU_OVERLOADED_RATIO, lp, MAX_EVENT_LOOP_OVERLOADED_RATIO,
                cl, MAX_CLIENT_OVERLOADED_RATIO);
        int max = budget.maxConcurrency();
        boolean reaching = o.inFlight() >= Math.floor(desired * DESIRED_CONCURRENCY_RATIO);
        if (idle && desired < max && reaching) {
            int to = Math.min(max, desired + (int) Math.ceil(desired * SCALE_UP_STEP_RATIO));
            record(o, to, Reason.SCALE_UP, "system idle; " + status, log);
        } else if (!idle && desired > MIN_CONCURRENCY) {
            int to = Math.max(MIN_CONCURRENCY, desired - (int) Math.ceil(desired * SCALE_DOWN_STEP_RATIO));
            Reason why = mem > MAX_MEMORY_OVERLOADED_RATIO ? Reason.MEMORY : cp > MAX_CPU_OVERLOADED_RATIO ? Reason.CPU
                    : lp > MAX_EVENT_LOOP_OVERLOADED_RATIO ? Reason.LOOP_LAG : Reason.CLIENT;
            record(o, to, why, "system overloaded; " + status, log);
        }
    }

    private void record(Observation o, int to, Reason reason, String detail, DecisionLog log) {
        log.decided(new ScalingDecision(o.nanos() / 1e9, desired, to, reason, detail, o.load().rssBytes(), lastCores,
                o.load().lagNanos() < 0 ? -1 : o.load().lagNanos() / 1e6, 0, o.inFlight(), o.queued(), -1));
        desired = to;
    }

    int desired() {
        return desired;
    }
}
