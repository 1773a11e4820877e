package io.railyard.bench.workload;

import io.railyard.core.BlockingTask;
import io.railyard.core.TaskFuture;
import io.railyard.core.TaskPool;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPU-bound work of the seed: recursive {@code fib(K)} computed {@code M} times, one task per
 * computation. The physical limit is the serial CPU time divided by the cores that can work at
 * once: {@code M * t(fib K) / min(cores, C)}, where {@code t(fib K)} is measured here, on one
 * thread, after warming the code up (the median of three timed runs).
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

    /** The measured single-thread time of one fib(K), calibrating on first use. */
    public double serialTaskSeconds() {
        if (serialTaskSeconds < 0) {
            Calibration c = calibrate(k);
            serialTaskSeconds = c.seconds();
            expected = c.value();
        }
        return serialTaskSeconds;
    }

    /** The median time of one fib(k) on one thread, and its value. */
    record Calibration(double seconds, long value) {}

    /**
     * Times fib(k) on this thread: warms up until the JIT has compiled it, then times runs for at
     * least 0.2 s (at least 3 runs) and takes the median, so one disturbed run does not move the limit.
     * The value is what the tasks' results are checked against, so that no trial computes it: a
     * trial that did would count one more fib(k) on one core in its wall time.
     */
    static Calibration calibrate(int k) {
        long sink = 0;
        // warm up on a smaller input so that calibrating fib(45) does not cost minutes
        for (int i = 0; i < 5; i++) sink += fib(Math.min(k, 27));
        long value = fib(k);
        sink += value;
        List<Double> t = new ArrayList<>();
        long begin = System.nanoTime();
        while (t.size() < 3 || (System.nanoTime() - begin < 200_000_000L && t.size() < 50)) {
            long t0 = System.nanoTime();
            sink += fib(k);
            t.add((System.nanoTime() - t0) / 1e9);
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
        return p;
    }
}
