package io.railyard.core.trace;

/**
 * One task's life, in nanoseconds of the pool's time source: when it was submitted, when its code
 * began where it ran (or -1 if it never started), when the caller learned its outcome.
 * {@code cpuNanos} is the CPU time the task used on its thread when the model can tell (platform
 * threads, worker processes, cluster members), else -1: the rest of {@code end - start} is time
 * spent waiting.
 *
 * <p>Start is stamped where the task runs, on the thread that runs it: in this JVM for threads,
 * virtual threads and the loop; by the worker process itself for {@code processes}, and by the
 * member for {@code cluster}, on this machine's one {@code CLOCK_MONOTONIC} (which
 * {@link System#nanoTime()} reads in every JVM here, checked when a worker starts). A member on
 * another machine has another clock: its start is then {@code end - the member's run time}, the
 * round trip minus the run time, an upper bound that also counts the answer's way back, and
 * {@code startEstimated} says so.
 */
public record TaskRecord(long taskId, long submitNanos, long startNanos, long endNanos, int worker,
                         Outcome outcome, long cpuNanos, boolean startEstimated) {

    /** A record whose start was stamped where the task ran. */
    public TaskRecord(long taskId, long submitNanos, long startNanos, long endNanos, int worker, Outcome outcome, long cpuNanos) {
        this(taskId, submitNanos, startNanos, endNanos, worker, outcome, cpuNanos, false);
    }

    /** Submit-to-start: from the caller's submit to the moment the task's code began where it ran. */
    public long queuedNanos() {
        return startNanos < 0 ? endNanos - submitNanos : startNanos - submitNanos;
    }

    /** Time from start to end, or 0 if the task never started. */
    public long runNanos() {
        return startNanos < 0 ? 0 : endNanos - startNanos;
    }
}
