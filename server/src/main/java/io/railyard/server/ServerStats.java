package io.railyard.server;

import java.util.Map;

/**
 * A snapshot of what a {@link LatencyServer} has seen: connections and requests now, at peak, and
 * in total, for the HTTP port and the echo port, overall and per client address. A crawler test
 * asserts "the server never saw more than N concurrent requests" from {@code requests().peak()}.
 *
 * <p>A request is in flight from the moment its head is decoded until its response is handed to
 * the socket (so a {@code /delay/100} request is in flight for 100 ms). Immutable.
 *
 * @param connections     open HTTP connections
 * @param requests        HTTP requests in flight
 * @param echoConnections open echo connections
 * @param byClient        the same per client IP address (on loopback usually just 127.0.0.1)
 */
public record ServerStats(Count connections, Count requests, Count echoConnections, Map<String, ClientStats> byClient) {

    /** A level: how many now, the most at once since start (or the last peak reset), how many ever. */
    public record Count(int current, int peak, long total) {}

    /** One client address's levels. */
    public record ClientStats(Count connections, Count requests, Count echoConnections) {}

    /** The snapshot as one JSON object (what {@code GET /stats} answers). */
    public String toJson() {
        StringBuilder sb = new StringBuilder(256);
        sb.append("{\"connections\":").append(json(connections))
                .append(",\"requests\":").append(json(requests))
                .append(",\"echo_connections\":").append(json(echoConnections))
                .append(",\"by_client\":{");
        boolean first = true;
        for (var e : byClient.entrySet()) {
            if (!first) sb.append(',');
            first = false;
            ClientStats c = e.getValue();
            sb.append('"').append(e.getKey()).append("\":{\"connections\":").append(json(c.connections()))
                    .append(",\"requests\":").append(json(c.requests()))
                    .append(",\"echo_connections\":").append(json(c.echoConnections())).append('}');
        }
        return sb.append("}}").toString();
    }

    private static String json(Count c) {
        return "{\"current\":" + c.current() + ",\"peak\":" + c.peak() + ",\"total\":" + c.total() + "}";
    }
}
