package io.railyard.core.time;

import java.time.Duration;

/**
 * Where railyard reads time and schedules timed actions (task timeouts, autoscaler ticks, samplers).
 * Injected wherever time decides behaviour, so that tests drive it with {@link ManualTimeSource}
 * instead of sleeping. {@link #system()} is the real clock.
 *
 * <p>Implementations are thread-safe.
 */
public interface TimeSource {

    /** Monotonic nanoseconds, comparable only with other readings of the same source. */
    long nanoTime();

    /**
     * Runs {@code action} once, {@code delay} from now, on a thread of the source's choosing. The
     * action must be short and must not block: it shares one timer thread with every other action.
     */
    Cancellable schedule(Duration delay, Runnable action);

    /** A scheduled action that can be called off; cancelling after it ran is harmless. */
    interface Cancellable {
        void cancel();
    }

    /** The real monotonic clock with one shared daemon timer thread. */
    static TimeSource system() {
        return SystemTimeSource.INSTANCE;
    }
}
