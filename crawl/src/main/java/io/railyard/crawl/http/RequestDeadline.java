package io.railyard.crawl.http;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A whole-request deadline for a blocking {@link HttpURLConnection}: at the deadline one timer
 * thread disconnects the connection, which closes its socket and ends the read a thread is blocked
 * in, however the server drips its bytes (a read timeout only bounds each silence, and a blocked
 * read ignores interrupts). Use one per request, closed when the request ends.
 *
 * <p>Thread-safe: created and closed on the requesting thread, fired on the timer thread.
 */
final class RequestDeadline implements AutoCloseable {

    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread th = new Thread(r, "railyard-http-deadlines");
            th.setDaemon(true);
            return th;
        });
        t.setRemoveOnCancelPolicy(true);
        return t;
    }

    private final long startNanos = System.nanoTime();
    private final Duration deadline;
    private final ScheduledFuture<?> timer;
    private volatile boolean expired;

    RequestDeadline(HttpURLConnection c, Duration deadline) {
        this.deadline = deadline;
        this.timer = TIMER.schedule(() -> {
            expired = true;
            c.disconnect();
        }, deadline.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Whether the deadline has passed (and the connection was cut). */
    boolean expired() {
        return expired || System.nanoTime() - startNanos >= deadline.toNanos();
    }

    /** What the caller sees when the deadline cut its request. */
    io.railyard.loop.DeadlineExceededException exceeded(Object request) {
        return new io.railyard.loop.DeadlineExceededException("no complete response to " + request + " within its deadline of "
                + deadline.toMillis() + " ms");
    }

    /**
     * What an I/O failure of the request is: the deadline exceeded, with the failure as its cause,
     * when the deadline has passed (its timer cut the connection); else the failure itself.
     */
    IOException cause(IOException failure, Object request) {
        if (failure instanceof io.railyard.loop.DeadlineExceededException || !expired()) return failure;
        io.railyard.loop.DeadlineExceededException x = exceeded(request);
        x.initCause(failure);
        return x;
    }

    /** The part of the deadline left, for the connection's own timeouts (at least 1 ms). */
    int millisLeft() {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, deadline.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos)));
    }

    @Override
    public void close() {
        timer.cancel(false);
    }
}
