package io.railyard.bench.workload;

import io.railyard.core.BlockingTask;
import io.railyard.core.TaskPool;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Who switches tasks, the seed's "Multitasking Strategy" and "Switching Decision" measured: one hog
 * per core computes for {@code hogMs} without ever giving its CPU up (a CPU loop: no sleep, no IO,
 * no lock), and once they have begun, {@code shortTasks} short tasks are submitted at once. What
 * the short tasks' submit-to-start latency shows:
 * <ul>
 *   <li>a preemptive model (threads, processes) starts them at about its hand-off cost: every core
 *       is busy with a hog, so they start only because the OS takes a core from a hog;</li>
 *   <li>a cooperative model (the loop) starts them only when the hogs are done: the task decides
 *       when it gives control up, and a hog never does;</li>
 *   <li>virtual threads are not time-sliced: one hog per core pins every carrier thread (the JDK's
 *       scheduler has one per core), and the short tasks wait as on the loop.</li>
 * </ul>
 * The pool has {@code 2 x cores} workers, so a short task never waits for a worker: only for a CPU.
 * Before the hogs, one primer task per worker warms the workers up. By submit time, a run's records
 * are {@code primers} primers, then {@code hogs} hogs, then the short tasks (both counts are in the
 * parameters): that is how the table and the report tell them apart in {@code results.json}.
 *
 * <p>Not thread-safe: one harness thread.
 */
public final class HogWorkload implements Workload {

    /** Computes until {@code millis} have passed since it began, never yielding: a named record so worker processes can allow-list it. */
    public record Hog(long millis) implements BlockingTask<Long> {
        @Override
        public Long call() {
            long end = System.nanoTime() + millis * 1_000_000, x = 1;
            while (System.nanoTime() < end)
                for (int i = 0; i < 1_000; i++) x = x * 6364136223846793005L + 1442695040888963407L;
            return x;
        }
    }

    /** How long the harness waits after submitting the hogs before it submits the short tasks: a tenth of a hog. */
    static long settleMs(long hogMs) {
        return Math.max(1, hogMs / 10);
    }

    private final long hogMs;
    private final int hogs;
    private final int shortTasks;
    private final int cores;
    private final int primers;

    /** For a pool of {@code workers}: one hog per core of {@code hogMs}, then {@code shortTasks} short tasks. */
    public HogWorkload(long hogMs, int shortTasks, int workers) {
        if (hogMs < 10) throw new IllegalArgumentException("hog length must be >= 10 ms, was " + hogMs);
        if (shortTasks < 1) throw new IllegalArgumentException("short tasks must be >= 1, was " + shortTasks);
        this.hogMs = hogMs;
        this.cores = Runtime.getRuntime().availableProcessors();
        this.hogs = cores;
        this.shortTasks = shortTasks;
        this.primers = Math.max(1, workers);
    }

    /** The concurrency compare runs the hog test at: a worker for every hog and one more per core for the short tasks. */
    public static int concurrency(int cores) {
        return 2 * cores;
    }

    @Override
    public String name() {
        return "hog";
    }

    /** The primers, the hogs and the short tasks. */
    @Override
    public long tasks() {
        return primers + hogs + shortTasks;
    }

    public int hogs() {
        return hogs;
    }

    public long hogMs() {
        return hogMs;
    }

    /** The hogs spread over the cores the pool may use at once; the short tasks' own time is nothing beside them. */
    @Override
    public double limitSeconds(int concurrency) {
        return Math.ceil((double) hogs / Math.min(cores, concurrency)) * hogMs / 1e3;
    }

    /**
     * Runs one short hog on every worker and waits for them: a worker process's first task pays for
     * loading its classes and its codec (~0.1-0.3 s on a busy machine), which must not be taken for a
     * switch. They are the first {@code primers} tasks of the run's records.
     */
    private Tally prime(TaskPool pool, Progress progress) throws InterruptedException {
        Outcomes primed = new Outcomes(primers, progress);
        for (int i = 0; i < primers; i++) primed.track(pool.submit(new Hog(PRIMER_MS)));
        Tally t = primed.await();
        if (t.failed() > 0) throw new WorkloadFailedException("hog: " + t.failed() + " primer tasks failed: " + t.failures());
        return t;
    }

    /** A primer's length: long enough that every idle worker takes one, short beside a hog. */
    static final long PRIMER_MS = 2;

    @Override
    public Tally runOnce(TaskPool pool, Progress progress) throws InterruptedException {
        Tally primed = prime(pool, progress);
        Progress after = (done, failed) -> progress.taskDone(primed.ok() + done, failed);
        Outcomes outcomes = new Outcomes(hogs + shortTasks, after);
        for (int i = 0; i < hogs; i++) outcomes.track(pool.submit(new Hog(hogMs)));
        Thread.sleep(settleMs(hogMs));
        for (int i = 0; i < shortTasks; i++) outcomes.track(pool.submit(new TinyWorkload.Echo(i)));
        Tally t = outcomes.await();
        return new Tally(primed.ok() + t.ok(), t.failed(), t.failures());
    }

    /**
     * None: what the test measures is hundreds of milliseconds of hogs against a hand-off, which a
     * warm JIT moves by microseconds, and its primers already warm each worker up.
     */
    @Override
    public int warmupRuns(int requested) {
        return 0;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("primers", primers);
        p.put("hogs", hogs);
        p.put("hog_ms", hogMs);
        p.put("short_tasks", shortTasks);
        p.put("settle_ms", settleMs(hogMs));
        p.put("cores", cores);
        return p;
    }
}
