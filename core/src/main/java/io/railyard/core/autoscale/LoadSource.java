package io.railyard.core.autoscale;

import io.railyard.core.probe.ProcessTreeProbe;

import java.util.List;

/**
 * Where the autoscaler reads the load on each sample. The real one ({@link #processTree()}) reads
 * /proc; tests feed scripted readings and drive a {@link io.railyard.core.time.ManualTimeSource},
 * so that no test sleeps to make the autoscaler act.
 *
 * <p>{@link #read()} is called by one thread at a time (the pool's sampling tick) and must be quick:
 * it runs on the time source's shared timer thread.
 */
@FunctionalInterface
public interface LoadSource {

    LoadReading read();

    /**
     * This JVM's process tree: RSS and CPU of the JVM and every descendant (worker JVMs, a neighbour
     * a task started). Listing the descendants scans the machine's /proc, so the list is refreshed
     * every 200 ms while the per-process readings are taken every time. Not thread-safe (one tick
     * thread).
     */
    static LoadSource processTree() {
        return new LoadSource() {
            private static final long REFRESH_NANOS = 200_000_000L;
            private List<Long> descendants = List.of();
            private long listedAt = Long.MIN_VALUE / 2;

            @Override
            public LoadReading read() {
                long now = System.nanoTime();
                if (now - listedAt >= REFRESH_NANOS) {
                    descendants = ProcessTreeProbe.descendants();
                    listedAt = now;
                }
                ProcessTreeProbe.Reading r = ProcessTreeProbe.reading(descendants);
                return new LoadReading(r.rssBytes(), r.cpuNanos(), r.descendantsRssBytes(), r.largestDescendantRssBytes(), -1);
            }
        };
    }
}
