package io.railyard.bench.workload;

import io.railyard.core.TaskPool;

import java.util.Map;

/**
 * A piece of work specified, not timed: "fib(K) M times", "N requests of latency L with at most C
 * in flight". The harness opens a pool of some model, hands it to {@link #runOnce}, and measures;
 * the workload says what the physical limit of that work is, so every measured figure can be
 * printed beside the best any model could do.
 *
 * <p>A workload may hold resources across trials (a calibration, a started server): they are
 * released by {@link #close()}. Instances are used by one harness thread at a time.
 */
public interface Workload extends AutoCloseable {

    /** The work's name in results: {@code cpu}, {@code io}, {@code connections}. */
    String name();

    /** How many tasks one run submits. */
    long tasks();

    /**
     * Gets ready to run, outside every timed trial: starts a server, calibrates. The harness calls it
     * once before the first run; {@link #runOnce} must still work without it. Default: nothing.
     */
    default void prepare() throws Exception {}

    /** The shortest wall time any model could take for this work at concurrency {@code c}, in seconds. */
    double limitSeconds(int concurrency);

    /** Runs the whole work once on an open pool and counts the outcomes. */
    Tally runOnce(TaskPool pool, Progress progress) throws Exception;

    /** The work's parameters, for the results (e.g. {@code k}, {@code m}, {@code serial_task_s}). */
    Map<String, Object> parameters();

    /**
     * The uncounted warm-up runs compare makes before the counted ones, given the runs asked for:
     * those by default; fewer for a workload whose figures a warm JIT does not change.
     */
    default int warmupRuns(int requested) {
        return requested;
    }

    /** Whether this workload can run on the named model; if not, {@link #unsupportedReason}. */
    default boolean supports(String model) {
        return true;
    }

    default String unsupportedReason(String model) {
        return name() + " does not run on " + model;
    }

    @Override
    default void close() throws Exception {}

    /**
     * Task outcomes of one run.
     *
     * @param failures failed tasks by reason ({@link FailureReasons}), when the workload counted them; empty otherwise
     * @param figures  what the run measured besides its tasks' records, by name (the counter's lost
     *                 updates, {@link CounterWorkload}); empty for most workloads
     */
    record Tally(long ok, long failed, java.util.Map<String, Long> failures, java.util.Map<String, Double> figures) {
        public Tally {
            failures = java.util.Map.copyOf(failures);
            figures = java.util.Map.copyOf(figures);
        }

        public Tally(long ok, long failed, java.util.Map<String, Long> failures) {
            this(ok, failed, failures, java.util.Map.of());
        }

        public Tally(long ok, long failed) {
            this(ok, failed, java.util.Map.of());
        }
    }

    /** Told of each finished task, from any thread; must be cheap. */
    interface Progress {
        Progress NONE = (done, failed) -> {};

        void taskDone(long done, long failed);
    }
}
