package io.railyard.core.time;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/** {@link TimeSource#system()}: {@link System#nanoTime()} and one daemon timer thread for the JVM. */
final class SystemTimeSource implements TimeSource {
    static final SystemTimeSource INSTANCE = new SystemTimeSource();

    private final ScheduledThreadPoolExecutor timer;

    private SystemTimeSource() {
        timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "railyard-timer");
            t.setDaemon(true);
            return t;
        });
        // cancelled timeouts are the common case (most tasks finish in time): drop them at once
        timer.setRemoveOnCancelPolicy(true);
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
        ScheduledFuture<?> f = timer.schedule(action, delay.toNanos(), TimeUnit.NANOSECONDS);
        return () -> f.cancel(false);
    }
}
