package io.railyard.bench.workload;

import io.railyard.core.BlockingTask;
import io.railyard.core.TaskFuture;
import io.railyard.core.TaskPool;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The CPU-bound work of the seed: recursive {@code fib(K)} computed {@code M} times, one task per
 * computation. The physical limit is the serial CPU time divided by the cores that can work at
 * once: {@code M * t(fib K) / min(cores, C)}, where {@code t(fib K)} is the CPU time of one
 * fib(K) on one thread, measured in this JVM before the trials ({@link #calibrate}).
 *
 * <p>Not thread-safe: one harness thread.
 */
public final class CpuWorkload implements Workload {

    /** One computation of fib(k): a named record so worker processes can allow-list it. */
    public record Fib(int k) implements BlockingTask<Long> {
        @Override
        public Long call() {
            return fib(k);
        }
    }

    public static long fib(int k) {
        return k < 2 ? k : fib(k - 1) + fib(k - 2);
    }

    private final int k;
    private final int m;
    private final int cores;
    private double serialTaskSeconds = -1;
    /** fib(k), from the calibration: what every task must return. */
    private long expected;

    public CpuWorkload(int k, int m) {
        if (k < 1 || k > 50) throw new IllegalArgumentException("k must be between 1 and 50 (fib(50) takes minutes), was " + k);
        if (m < 1) throw new IllegalArgumentException("m must be >= 1, was " + m);
        QueuedTasks.check("-m", m);
        this.k = k;
        this.m = m;
        this.cores = Runtime.getRuntime().availableProcessors();
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public long tasks() {
        return m;
    }

    /**
     * The single-thread CPU time of one fib(K), measured in this JVM on first use ({@link #calibrate}),
     * seconds before the trials it is the limit of: by the calibration {@link #calibrateInBackground}
     * started as the JVM did, when one was, or else now, on this thread.
     */
    public double serialTaskSeconds() {
        if (serialTaskSeconds < 0) {
            expected = fibIterative(k);
            CompletableFuture<Calibration> started = BACKGROUND.getAndSet(null);
            Calibration c = started != null ? started.join() : calibrate();
            if (c.value() != fibIterative(PROBE_K))
                throw new IllegalStateException("fib(" + PROBE_K + ") computed " + c.value() + ", expected " + fibIterative(PROBE_K));
            serialTaskSeconds = c.secondsPerCall() * calls(k);
            calibration = (started != null ? "measured as the JVM started" : "measured now") + " on fib(" + PROBE_K + "), per call";
        }
        return serialTaskSeconds;
    }

    private String calibration;

    /**
     * Starts {@link #calibrate} on a daemon thread of its own and returns at once; the first
     * CpuWorkload of this JVM to need its limit takes that calibration (waiting for it if need be)
     * instead of calibrating then. A command that will run the cpu work calls it first, so that on a
     * machine with a core to spare fib is timed while the command line is built, not after it: the
     * calibrating thread's CPU time does not count the other thread's work. A call while a started
     * calibration is not yet taken does nothing.
     */
    public static void calibrateInBackground() {
        CompletableFuture<Calibration> f = new CompletableFuture<>();
        if (!BACKGROUND.compareAndSet(null, f)) return;
        Thread.ofPlatform().name("railyard-calibration").daemon().start(() -> {
            try {
                f.complete(calibrate());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
    }

    /** The calibration {@link #calibrateInBackground} started, until a workload takes it. */
    private static final AtomicReference<CompletableFuture<Calibration>> BACKGROUND = new AtomicReference<>();

    /** fib(k) by iteration: the value every task must return, without the recursive computation's time. */
    static long fibIterative(int k) {
        long a = 0, b = 1;
        for (int i = 0; i < k; i++) {
            long next = a + b;
            a = b;
            b = next;
        }
        return a;
    }

    /** The calls one recursive fib(k) makes, itself included: 2 fib(k+1) - 1. */
    static double calls(int k) {
        return 2.0 * fibIterative(k + 1) - 1;
    }

    /** The input the calibration times: fib(31), 4.4 million calls, 4-12 ms compiled. */
    static final int PROBE_K = 31;

    /** The CPU time of one call of recursive fib on one thread, and the value of the fib(31) timed. */
    record Calibration(double secondsPerCall, long value) {}

    /**
     * Times fib on this thread: warms up until the JIT has compiled fib, then times samples of
     * fib(31) until it has 5 samples and 30 ms (at most 200 samples), and returns the median time per
     * call. A fib(K) takes that times the calls it makes: every call runs the same compiled code, so
     * fib(35) is fib(31)'s time per call times 6.9 times the calls (measured in one JVM: within 6% of
     * fib(35) timed whole), and fib(20)'s time per call is fib(31)'s within the spread of either
     * (docs/startup.md). It costs about 0.1 s of a fresh JVM, the JIT's warm-up included, where timing
     * fib(35) itself took 0.2-0.3 s.
     * The time is the thread's CPU time, not the wall's: on a machine other programs keep busy, a
     * thread waits for a core, and a limit from the wall would grow with that wait. It is measured in
     * every run rather than kept: on a shared machine one thread's speed moves by 1.8x from one
     * second to the next (other tenants on the same physical cores), so a limit measured earlier
     * would measure that drift, not the model. The value of the input timed is returned to be checked
     * against {@link #fibIterative}; the tasks' results are checked against it for fib(K).
     */
    static Calibration calibrate() {
        long sink = 0;
        // warm up on a smaller input: the JIT compiles fib
        for (int i = 0; i < 5; i++) sink += fib(27);
        long value = 0;
        double total = 0;
        List<Double> perCall = new ArrayList<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        while (perCall.size() < 5 || (total < 0.03 && perCall.size() < 200)) {
            long t0 = threads.getCurrentThreadCpuTime();
            value = fib(PROBE_K);
            double s = (threads.getCurrentThreadCpuTime() - t0) / 1e9;
            total += s;
            perCall.add(s / calls(PROBE_K));
            sink += value;
        }
        if (sink == 42) System.out.print(""); // keep the results alive
        Collections.sort(perCall);
        return new Calibration(perCall.get(perCall.size() / 2), value);
    }

    @Override
    public double limitSeconds(int concurrency) {
        return m * serialTaskSeconds() / Math.min(cores, concurrency);
    }

    @Override
    public Tally runOnce(TaskPool pool, Progress progress) throws InterruptedException {
        serialTaskSeconds(); // never calibrate inside a timed trial
        Outcomes outcomes = new Outcomes(m, progress);
        List<TaskFuture<Long>> fs = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            TaskFuture<Long> f = pool.submit(new Fib(k));
            outcomes.track(f);
            fs.add(f);
        }
        Tally ended = outcomes.await(); // every completion counted, callbacks included
        long wrong = fs.stream().filter(f -> !f.isCompletedExceptionally() && f.join() != expected).count();
        Map<String, Long> failures = new java.util.TreeMap<>(ended.failures()); // by reason: cancelled, worker died...
        if (wrong > 0) failures.merge("wrong result", wrong, Long::sum);
        return new Tally(ended.ok() - wrong, ended.failed() + wrong, failures);
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("k", k);
        p.put("m", m);
        p.put("cores", cores);
        p.put("serial_task_s", serialTaskSeconds());
        p.put("calibration", calibration);
        return p;
    }
}
