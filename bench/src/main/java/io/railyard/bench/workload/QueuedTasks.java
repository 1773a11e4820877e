package io.railyard.bench.workload;

import java.util.Locale;

/**
 * How many tasks a work that submits all of them at once ({@code run io}, {@code run cpu}) may ask
 * for in this JVM: each queued task holds its run, its future and the task itself until it runs,
 * at least {@link #MIN_BYTES} (280 bytes measured on the loop, docs/startup.md). A count whose queue
 * cannot fit in the heap is refused before any work, rather than found by an OutOfMemoryError
 * minutes into the submit. Stateless; thread-safe.
 */
public final class QueuedTasks {
    private QueuedTasks() {}

    /** The least memory one queued task holds, rounded down from what was measured. */
    public static final long MIN_BYTES = 256;

    /**
     * Refuses {@code n} tasks queued at once when they cannot fit in a heap of {@code maxHeapBytes}.
     *
     * @param flag the option that gave {@code n}, for the message ({@code -n}, {@code -m})
     * @throws IllegalArgumentException naming the count, the memory it needs and what to give
     */
    public static void check(String flag, long n, long maxHeapBytes) {
        if (maxHeapBytes == Long.MAX_VALUE || n <= maxHeapBytes / MIN_BYTES) return;
        throw new IllegalArgumentException(String.format(Locale.ROOT,
                "%s %d queues every task at once, at least %d MiB, more than this JVM's heap of %d MiB: give %s %d or less,"
                        + " or a larger heap (RAILYARD_JAVA_OPTS=-Xmx8g; under a --budget-memory, the heap is a quarter of it)",
                flag, n, n * MIN_BYTES >> 20, maxHeapBytes >> 20, flag, maxHeapBytes / MIN_BYTES));
    }

    /** {@link #check(String, long, long)} against this JVM's heap. */
    public static void check(String flag, long n) {
        check(flag, n, Runtime.getRuntime().maxMemory());
    }
}
