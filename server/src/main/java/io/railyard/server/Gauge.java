package io.railyard.server;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A live level with its peak: connections open, requests in flight. Incremented and decremented by
 * the event-loop threads, read by anyone. Thread-safe; the peak is exact (every increment that
 * raises the level above the peak raises the peak).
 */
final class Gauge {
    private final AtomicInteger current = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicLong total = new AtomicLong();

    void increment() {
        int now = current.incrementAndGet();
        total.incrementAndGet();
        int p;
        while (now > (p = peak.get()) && !peak.compareAndSet(p, now)) {
            // another thread raised the peak meanwhile; look again
        }
    }

    void decrement() {
        current.decrementAndGet();
    }

    /** Forgets the peak: from now on it is the most at once after this call. */
    void resetPeak() {
        peak.set(current.get());
    }

    ServerStats.Count snapshot() {
        return new ServerStats.Count(current.get(), peak.get(), total.get());
    }
}
