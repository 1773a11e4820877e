package io.railyard.bench.workload;

import io.railyard.core.BlockingTask;
import io.railyard.core.TaskPool;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per-task overhead: N tasks that return their input, with at most C in flight (a closed loop: the
 * next task is submitted when one finishes). Because the queue never holds more than C tasks, the
 * submit-to-start latency is the model's hand-off cost, not queueing behind thousands of tasks; the
 * tasks per second are its dispatch throughput.
 *
 * <p>The limit is what the same calls cost on one thread divided by the cores that could share
 * them: close to zero, so {@code wall / limit} is the overhead factor.
 *
 * <p>Not thread-safe: one harness thread (completion callbacks only release permits and count).
 */
public final class TinyWorkload implements Workload {

    /** Returns its input: a named record so worker processes can allow-list it. */
    public record Echo(long value) implements BlockingTask<Long> {
        @Override
        public Long call() {
            return value;
        }
    }

    private static final long RUN_TIMEOUT_SECONDS = 300;

    private final int n;
    private final int inFlight;
    private final int cores;
    private double serialTaskSeconds = -1;

    /** {@code n} tasks, at most {@code inFlight} submitted and unfinished at once. */
    public TinyWorkload(int n, int inFlight) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, was " + n);
        if (inFlight < 1) throw new IllegalArgumentException("in-flight must be >= 1, was " + inFlight);
        this.n = n;
        this.inFlight = inFlight;
        this.cores = Runtime.getRuntime().availableProcessors();
    }

    @Override
    public String name() {
        return "tiny";
    }

    @Override
    public long tasks() {
        return n;
    }

    private double serialTaskSeconds() {
        if (serialTaskSeconds < 0) {
            // the thread's CPU time, as the cpu work's calibration: a busy machine's wait for a core is no part of the limit
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            long sink = 0, t0 = threads.getCurrentThreadCpuTime();
            for (int i = 0; i < 100_000; i++) sink += new Echo(i).call();
            serialTaskSeconds = Math.max(1e-9, (threads.getCurrentThreadCpuTime() - t0) / 1e9 / 100_000);
            if (sink == 42) System.out.print("");
        }
        return serialTaskSeconds;
    }

    @Override
    public double limitSeconds(int concurrency) {
        return n * serialTaskSeconds() / Math.min(cores, concurrency);
    }

    @Override
    public Tally runOnce(TaskPool pool, Progress progress) throws Exception {
        serialTaskSeconds();
        Semaphore slots = new Semaphore(inFlight);
        AtomicLong done = new AtomicLong(), failed = new AtomicLong();
        for (int i = 0; i < n; i++) {
            if (!slots.tryAcquire(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                throw new IllegalStateException("tiny: no task finished in " + RUN_TIMEOUT_SECONDS + " s on " + pool.model());
            long expected = i;
            pool.submit(new Echo(i)).whenComplete((v, e) -> {
                if (e == null && v == expected) done.incrementAndGet();
                else failed.incrementAndGet();
                slots.release();
                progress.taskDone(done.get(), failed.get());
            });
        }
        if (!slots.tryAcquire(inFlight, RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS))
            throw new IllegalStateException("tiny: the last tasks did not finish in " + RUN_TIMEOUT_SECONDS + " s on " + pool.model());
        return new Tally(done.get(), failed.get());
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("n", n);
        p.put("in_flight", inFlight);
        p.put("cores", cores);
        p.put("serial_task_s", serialTaskSeconds());
        return p;
    }
}
