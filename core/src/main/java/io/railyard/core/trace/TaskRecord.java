package io.railyard.core.trace;

/**
 * One task's life, in nanoseconds of the pool's time source: when it was submitted, when a worker
 * started it (or -1 if it never started), when it ended. {@code cpuNanos} is the CPU time the task
 * used on its thread when the model can tell (platform threads, worker processes), else -1: the
 * rest of {@code end - start} is time spent waiting.
 */
public record TaskRecord(long taskId, long submitNanos, long startNanos, long endNanos, int worker,
                         Outcome outcome, long cpuNanos) {

    /** Time spent queued before a worker took the task (submit-to-start latency). */
    public long queuedNanos() {
        return startNanos < 0 ? endNanos - submitNanos : startNanos - submitNanos;
    }

    /** Time from start to end, or 0 if the task never started. */
    public long runNanos() {
        return startNanos < 0 ? 0 : endNanos - startNanos;
    }
}
