package io.railyard.loop;

import java.time.Duration;

/**
 * What a {@link LoopPool}'s loop went through, for run reports: whether it blocked (slow callbacks,
 * the worst with its stack), its lag, and how much HTTP it did. Immutable snapshot.
 *
 * @param transport          {@code epoll} or {@code nio}
 * @param slowThreshold      a callback longer than this counts as slow
 * @param slowCallbacks      how many callbacks ran past the threshold
 * @param worst              the slowest of them, or null
 * @param lag                timer lateness: now, max, percentiles
 * @param connectionsOpened  HTTP connections opened (keep-alive reuse keeps this low)
 * @param requestsSent       HTTP requests sent
 */
public record LoopReport(String transport, Duration slowThreshold, long slowCallbacks, LoopMonitor.SlowCallback worst,
                         LoopMonitor.LagStats lag, long connectionsOpened, long requestsSent) {

    /** True if some callback held the loop past the threshold: the loop was blocked. */
    public boolean blocked() {
        return slowCallbacks > 0;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("loop (").append(transport).append("): ");
        if (blocked()) sb.append("BLOCKED: ").append(slowCallbacks).append(" callback(s) over ")
                .append(slowThreshold.toMillis()).append(" ms; worst: ").append(worst);
        else sb.append("never blocked over ").append(slowThreshold.toMillis()).append(" ms");
        sb.append("\n").append(lag);
        sb.append("\nhttp: ").append(requestsSent).append(" requests on ").append(connectionsOpened).append(" connections");
        return sb.toString();
    }
}
