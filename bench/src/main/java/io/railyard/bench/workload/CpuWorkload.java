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

/**
 * The CPU-bound work of the seed: recursive {@code fib(K)} computed {@code M} times, one task per
 * computation. The physical limit is the serial CPU time divided by the cores that can work at
 * once: {@code M * t(fib K) / min(cores, C)}, where {@code t(fib K)} is the CPU time of one
 * fib(K) on one thread, measured here after warming the code up (the median of the timed runs).
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
     * The measured single-thread time of one fib(K), calibrating on first use, or as measured earlier
     * on this machine, JDK and JIT within a day when the launcher keeps such measurements
     * ({@link CalibrationCache}; {@code calibration} in the parameters says which).
     */
    public double serialTaskSeconds() {
        if (serialTaskSeconds < 0) {
            expected = fibIterative(k);
            String key = CalibrationCache.key("fib(" + k + ") thread CPU");
            var cached = CalibrationCache.lookup(key);
            if (cached.isPresent()) {
                serialTaskSeconds = cached.get().seconds();
                calibration = "measured earlier on this machine, " + java.time.Instant.ofEpochMilli(cached.get().atMillis());
            } else {
                Calibration c = calibrate(k);
                if (c.value() != expected) throw new IllegalStateException("fib(" + k + ") computed " + c.value() + ", expected " + expected);
                serialTaskSeconds = c.seconds();
                calibration = "measured now";
                CalibrationCache.store(key, serialTaskSeconds);
            }
        }
        return serialTaskSeconds;
    }

    private String calibration;

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

    /** The median time of one fib(k) on one thread, and its value. */
    record Calibration(double seconds, long value) {}

    /**
     * Times fib(k) on this thread: warms up until the JIT has compiled it, then times runs for at
     * least 0.1 s (at least 3 runs) and takes the median, so one disturbed run does not move the limit.
     * The time is the thread's CPU time, not the wall's: on a machine other programs keep busy, a
     * thread waits for a core, and a limit from the wall would grow with that wait (a loaded
     * calibration, kept in the cache, would make later runs read below a limit they cannot beat).
     * The value it returns is checked against {@link #fibIterative}, which is what the tasks' results
     * are checked against, so that no trial computes it.
     */
    static Calibration calibrate(int k) {
        long sink = 0;
        // warm up on a smaller input so that calibrating fib(45) does not cost minutes
        for (int i = 0; i < 5; i++) sink += fib(Math.min(k, 27));
        long value = 0;
        List<Double> t = new ArrayList<>();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long begin = System.nanoTime();
        while (t.size() < 3 || (System.nanoTime() - begin < 100_000_000L && t.size() < 50)) {
            long t0 = threads.getCurrentThreadCpuTime();
            value = fib(k);
            t.add((threads.getCurrentThreadCpuTime() - t0) / 1e9);
            sink += value;
        }
        if (sink == 42) System.out.print(""); // keep the results alive
        Collections.sort(t);
        return new Calibration(t.get(t.size() / 2), value);
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
        return new Tally(ended.ok() - wrong, ended.failed() + wrong);
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
