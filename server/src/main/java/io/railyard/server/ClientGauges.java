package io.railyard.server;

/**
 * The gauges of one client address, plus the server-wide ones it also counts into, so a handler
 * counts an event with one call. Thread-safe (see {@link Gauge}).
 */
final class ClientGauges {
    final Gauge connections = new Gauge();
    final Gauge requests = new Gauge();
    final Gauge echoConnections = new Gauge();
    private final ClientGauges all;

    /** {@code all} is the server-wide gauges, or null for the server-wide instance itself. */
    ClientGauges(ClientGauges all) {
        this.all = all;
    }

    void connectionOpened() {
        connections.increment();
        if (all != null) all.connections.increment();
    }

    void connectionClosed() {
        connections.decrement();
        if (all != null) all.connections.decrement();
    }

    void requestStarted() {
        requests.increment();
        if (all != null) all.requests.increment();
    }

    void requestFinished() {
        requests.decrement();
        if (all != null) all.requests.decrement();
    }

    void echoOpened() {
        echoConnections.increment();
        if (all != null) all.echoConnections.increment();
    }

    void echoClosed() {
        echoConnections.decrement();
        if (all != null) all.echoConnections.decrement();
    }

    void resetPeaks() {
        connections.resetPeak();
        requests.resetPeak();
        echoConnections.resetPeak();
    }

    ServerStats.ClientStats snapshot() {
        return new ServerStats.ClientStats(connections.snapshot(), requests.snapshot(), echoConnections.snapshot());
    }
}
