package io.railyard.loop;

import io.railyard.core.pool.TaskRun;
import io.railyard.core.trace.Percentiles;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Makes the loop's failure mode visible: a callback that holds the one loop thread too long.
 *
 * <h2>Slow callbacks</h2>
 * Every entry into user code on the loop (a task's start, a continuation run through
 * {@link io.railyard.core.TaskContext#executor()}, a timer, the completion of a future a facility
 * handed out) is bracketed by {@link #enter}/{@link #exit}. A callback that runs longer than the
 * threshold (asyncio's {@code slow_callback_duration}, default 100 ms) is counted and kept with the
 * loop thread's stack, which a watchdog thread samples <em>while the callback is stuck</em>, so the
 * stack shows where it blocks rather than where it returned.
 *
 * <h2>Lag</h2>
 * A timer on the loop fires every {@code lagInterval}; how late it runs is the loop's lag: the wait a
 * ready callback suffers before the loop gets to it. The last samples are kept for percentiles.
 *
 * <h2>Thread-safety</h2>
 * {@link #enter}, {@link #exit} and the lag probe run on the loop thread only. The watchdog reads
 * the volatile {@code callbackStart} and publishes its sample through a volatile field. Readers
 * ({@link #lag()}, {@link #slowCallbacks()}, {@link #worst()}) may call from any thread; the
 * statistics they read are written under {@code this}, which only the slow paths take.
 */
public final class LoopMonitor {

    /** A callback that held the loop past the threshold, with the stack sampled while it did. */
    public record SlowCallback(String what, long nanos, List<StackTraceElement> stack) {
        /** Distinct lines of the stack that {@link #toString()} shows; the list itself keeps them all. */
        static final int SHOWN_FRAMES = 12;

        public SlowCallback {
            stack = List.copyOf(stack);
        }

        public double millis() {
            return nanos / 1e6;
        }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder(what).append(" held the loop for ")
                    .append(String.format("%.1f ms", millis()));
            if (stack.isEmpty()) sb.append(" (ended before the watchdog sampled its stack)");
            // a recursive callback's frames as Python prints them: a run of the same line once, with its count
            int shown = 0;
            for (int i = 0; i < stack.size() && shown < SHOWN_FRAMES; shown++) {
                StackTraceElement e = stack.get(i);
                int same = 1;
                while (i + same < stack.size() && stack.get(i + same).equals(e)) same++;
                sb.append("\n\tat ").append(e);
                if (same > 1) sb.append("\n\t[the line above repeated ").append(same - 1).append(" more times]");
                i += same;
                if (shown + 1 == SHOWN_FRAMES && i < stack.size()) sb.append("\n\t... ").append(stack.size() - i).append(" more frames");
            }
            return sb.toString();
        }
    }

    /** Loop lag (timer lateness) in nanoseconds: the last sample, the worst, and percentiles of the recent ones. */
    public record LagStats(long currentNanos, long maxNanos, long p50Nanos, long p90Nanos, long p99Nanos, long samples) {
        @Override
        public String toString() {
            return String.format("lag now %.2f ms, p50 %.2f, p90 %.2f, p99 %.2f, max %.2f ms over %d samples",
                    currentNanos / 1e6, p50Nanos / 1e6, p90Nanos / 1e6, p99Nanos / 1e6, maxNanos / 1e6, samples);
        }
    }

    /**
     * The slow-callback warnings' logger, made when the first one is written: the JDK's first
     * {@code System.getLogger} asks the service loader for a {@code LoggerFinder}, which opens every
     * jar of the class path (~20 ms of a command's start, docs/startup.md).
     */
    private static final class Log {
        static final System.Logger LOG = System.getLogger("io.railyard.loop");
    }
    private static final int LAG_WINDOW = 4096;
    private static final int RECENT_SLOW = 16;
    private static final long LOG_EVERY_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The watchdog's stack sample, tagged with the start time of the callback it belongs to. */
    private record Sample(long callbackStart, StackTraceElement[] stack) {}

    private final long thresholdNanos;
    private final long lagIntervalNanos;
    private final Thread loopThread;

    // loop thread only
    private int depth;
    private Object what;
    private long lagExpected;
    private long lastLogNanos = Long.MIN_VALUE / 2;

    /** Start time of the outermost running callback, 0 when the loop is not in one. */
    private volatile long callbackStart;
    /** When the next lag probe is due, and the latest probe's lag: written by the loop, read by {@link #currentLagNanos}. */
    private volatile long lagDue, lastLag;
    private volatile Sample sample;
    private volatile boolean stopped;

    // guarded by this
    private long slowCount;
    private SlowCallback worst;
    private final ArrayDeque<SlowCallback> recent = new ArrayDeque<>();
    private final long[] lagRing = new long[LAG_WINDOW];
    private long lagSamples;
    private long lagMax;

    private final Thread watchdog;

    LoopMonitor(Duration threshold, Duration lagInterval, Thread loopThread) {
        this.thresholdNanos = threshold.toNanos();
        this.lagIntervalNanos = lagInterval.toNanos();
        this.loopThread = loopThread;
        this.watchdog = new Thread(this::watch, loopThread.getName() + "-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
    }

    /** The threshold above which a callback is reported. */
    public Duration threshold() {
        return Duration.ofNanos(thresholdNanos);
    }

    /**
     * Marks the start of a callback; returns the token to give {@link #exit}. Nested calls (a
     * callback that completes a future whose callbacks run inline) count as part of the outer one.
     */
    long enter(Object what) {
        if (depth++ > 0) return 0L;
        this.what = what;
        long now = System.nanoTime() | 1L; // never 0, which means "not in a callback"
        callbackStart = now;
        return now;
    }

    void exit(long token) {
        depth--;
        if (token == 0L) return;
        callbackStart = 0L;
        long took = System.nanoTime() - token;
        if (took >= thresholdNanos) slow(took, token);
    }

    private void slow(long took, long token) {
        Sample s = sample;
        StackTraceElement[] stack = s != null && s.callbackStart == token ? s.stack : new StackTraceElement[0];
        SlowCallback cb = new SlowCallback(describe(what), took, Arrays.asList(stack));
        what = null;
        synchronized (this) {
            slowCount++;
            if (worst == null || took > worst.nanos) worst = cb;
            if (recent.size() == RECENT_SLOW) recent.removeFirst();
            recent.addLast(cb);
        }
        long now = System.nanoTime();
        if (now - lastLogNanos >= LOG_EVERY_NANOS) { // a blocking map would otherwise log every chunk
            lastLogNanos = now;
            Log.LOG.log(System.Logger.Level.WARNING, "slow callback on the event loop (" + slowCallbacks()
                    + " so far; threshold " + threshold().toMillis() + " ms): " + cb);
        }
    }

    private static String describe(Object what) {
        if (what instanceof TaskRun<?> run)
            return "task " + run.taskId() + " (" + (run.isBlocking() ? "a blocking " : "an asynchronous ")
                    + run.task().getClass().getName() + ")";
        if (what instanceof String s) return s;
        return what == null ? "a callback" : "callback " + what.getClass().getName();
    }

    /** The watchdog: samples the loop thread's stack while a callback runs past half the threshold. */
    private void watch() {
        long tick = Math.max(TimeUnit.MILLISECONDS.toNanos(1), thresholdNanos / 4);
        while (!stopped) {
            LockSupport.parkNanos(tick);
            long start = callbackStart;
            if (start == 0L || System.nanoTime() - start < thresholdNanos / 2) continue;
            StackTraceElement[] stack = loopThread.getStackTrace();
            if (callbackStart == start) sample = new Sample(start, stack); // still the same callback
        }
    }

    /** Runs on the loop every lag interval; {@code now} was read by the caller. */
    void lagProbe(long now) {
        if (lagExpected != 0) {
            long lag = Math.max(0, now - lagExpected);
            synchronized (this) {
                lagRing[(int) (lagSamples++ % LAG_WINDOW)] = lag;
                if (lag > lagMax) lagMax = lag;
            }
            lastLag = lag;
        }
        lagExpected = now + lagIntervalNanos;
        lagDue = lagExpected;
    }

    /**
     * The loop's lag now, cheaply, from any thread (for the autoscaler, which reads it every 50 ms):
     * the latest probe's lateness, or, while the next probe is overdue (the loop is blocked), how
     * overdue it is.
     */
    public long currentLagNanos() {
        long due = lagDue;
        return Math.max(lastLag, due == 0 ? 0 : System.nanoTime() - due);
    }

    long lagIntervalNanos() {
        return lagIntervalNanos;
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(watchdog);
    }

    void join(long millis) throws InterruptedException {
        watchdog.join(Math.max(1, millis));
    }

    /** How many callbacks ran past the threshold since the loop started. */
    public synchronized long slowCallbacks() {
        return slowCount;
    }

    /** The slowest callback so far, or null if none was slow. */
    public synchronized SlowCallback worst() {
        return worst;
    }

    /** The most recent slow callbacks, oldest first (at most 16). */
    public synchronized List<SlowCallback> recentSlowCallbacks() {
        return List.copyOf(recent);
    }

    /**
     * The lag now, its maximum since start, and percentiles over the last 4096 samples. A probe that
     * is overdue as this is read (the loop held by a callback, or this read queued on the loop ahead
     * of the probe) counts in the current figure and the maximum by how late it is already; the
     * percentiles hold the probes that ran.
     */
    public LagStats lag() {
        long[] window;
        long n, max, current;
        synchronized (this) {
            n = lagSamples;
            max = lagMax;
            int size = (int) Math.min(n, LAG_WINDOW);
            window = Arrays.copyOf(lagRing, size);
            current = n == 0 ? 0 : lagRing[(int) ((n - 1) % LAG_WINDOW)];
        }
        long due = lagDue, overdue = due == 0 ? 0 : Math.max(0, System.nanoTime() - due);
        if (window.length == 0) return new LagStats(overdue, overdue, 0, 0, 0, 0);
        Arrays.sort(window);
        return new LagStats(Math.max(current, overdue), Math.max(max, overdue), pct(window, 0.50), pct(window, 0.90),
                pct(window, 0.99), n);
    }

    /** Nearest rank, the percentile method of every railyard figure ({@link Percentiles}). */
    private static long pct(long[] sorted, double q) {
        return sorted[Percentiles.rank(sorted.length, q * 100)];
    }
}
