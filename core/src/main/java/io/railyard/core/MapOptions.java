package io.railyard.core;

import java.time.Duration;

/**
 * How {@link TaskPool#map} feeds inputs to the pool.
 *
 * @param prefetch  how many inputs may be submitted and not yet consumed by the caller; bounds memory
 *                  for huge input streams. 0 means "the model's default": twice the concurrency, in
 *                  inputs, times {@code chunk}.
 * @param chunk     inputs per task (Python's chunksize): more than 1 amortises the per-task cost,
 *                  which matters for worker processes where every task is an IPC round-trip
 * @param timeout   the running time allowed to each task (a whole chunk), or {@code null} for none
 */
public record MapOptions(int prefetch, int chunk, Duration timeout) {

    public static final MapOptions DEFAULT = new MapOptions(0, 1, null);

    public MapOptions {
        if (prefetch < 0) throw new IllegalArgumentException("prefetch must be >= 0, was " + prefetch);
        if (chunk < 1) throw new IllegalArgumentException("chunk must be >= 1, was " + chunk);
        if (timeout != null && (timeout.isNegative() || timeout.isZero()))
            throw new IllegalArgumentException("timeout must be positive, was " + timeout);
    }

    public static MapOptions chunked(int chunk) {
        return new MapOptions(0, chunk, null);
    }

    public MapOptions withPrefetch(int prefetch) {
        return new MapOptions(prefetch, chunk, timeout);
    }

    public MapOptions withChunk(int chunk) {
        return new MapOptions(prefetch, chunk, timeout);
    }

    public MapOptions withTimeout(Duration timeout) {
        return new MapOptions(prefetch, chunk, timeout);
    }
}
