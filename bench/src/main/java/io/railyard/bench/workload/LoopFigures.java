package io.railyard.bench.workload;

import io.railyard.loop.LoopMonitor;
import io.railyard.loop.LoopReport;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loop model's own figures for a run's parameters: did the loop block (callbacks over the slow
 * threshold, the worst one and where it was stuck) and how late its timers ran (lag). Empty for
 * the other models.
 */
final class LoopFigures {
    private LoopFigures() {}

    static Map<String, Object> of(LoopReport r) {
        Map<String, Object> p = new LinkedHashMap<>();
        if (r == null) return p;
        LoopMonitor.LagStats lag = r.lag();
        p.put("loop_transport", r.transport());
        p.put("loop_slow_callbacks", r.slowCallbacks());
        p.put("loop_slow_threshold_ms", r.slowThreshold().toMillis());
        if (r.worst() != null) {
            p.put("loop_worst_callback_ms", r.worst().millis());
            p.put("loop_worst_callback", r.worst().what());
            p.put("loop_worst_callback_at", r.worst().stack().isEmpty() ? "(not sampled)" : r.worst().stack().getFirst().toString());
        }
        p.put("loop_lag_p50_ms", lag.p50Nanos() / 1e6);
        p.put("loop_lag_p99_ms", lag.p99Nanos() / 1e6);
        p.put("loop_lag_max_ms", lag.maxNanos() / 1e6);
        p.put("loop_connections_opened", r.connectionsOpened());
        return p;
    }
}
