package io.railyard.server;

/**
 * How a {@link LatencyServer} listens and what its generated site looks like. Immutable; build one
 * from {@link #defaults()} with the {@code with...} methods.
 *
 * @param host          address to listen on; loopback by default (never expose a test server)
 * @param port          HTTP port; 0 picks a free ephemeral port (tests)
 * @param echoPort      raw TCP echo port; 0 picks a free port, -1 disables the echo listener
 * @param threads       event-loop threads (1 or 2): the server must stay out of the client's way
 * @param pages         public pages of the generated site under {@code /site/}
 * @param seed          seed of the site's link graph (same pages + seed = same site)
 * @param siteLatencyMs delay of every {@code /site/} answer (a request's {@code ?latency=MS} wins)
 * @param siteFailFirst the first N requests of each site page are answered with {@code siteFailStatus}
 *                      (lets a crawler's retry logic be tested against the real site)
 * @param siteFailStatus the status of those failures (429 or 5xx)
 * @param echoBarrier   when > 0, an echo connection's first bytes are echoed only once this many
 *                      echo connections are open at once (see {@link LatencyServer})
 * @param transport     {@code auto} (epoll when available), {@code epoll} or {@code nio}
 */
public record ServerOptions(String host, int port, int echoPort, int threads, int pages, long seed,
                            int siteLatencyMs, int siteFailFirst, int siteFailStatus, int echoBarrier,
                            String transport) {

    public static final int MAX_PAGES = 1_000_000;

    public ServerOptions {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host must not be empty: use 127.0.0.1");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port " + port + " is out of range: use 0..65535 (0 = any free port)");
        if (echoPort < -1 || echoPort > 65535) throw new IllegalArgumentException("echo port " + echoPort + " is out of range: use 0..65535, or -1 for none");
        if (threads < 1 || threads > 2) throw new IllegalArgumentException("threads must be 1 or 2, was " + threads);
        if (pages < 1 || pages > MAX_PAGES) throw new IllegalArgumentException("pages must be 1.." + MAX_PAGES + ", was " + pages);
        if (siteLatencyMs < 0 || siteLatencyMs > Routes.MAX_DELAY_MS) throw new IllegalArgumentException("site latency must be 0.." + Routes.MAX_DELAY_MS + " ms, was " + siteLatencyMs);
        if (siteFailFirst < 0) throw new IllegalArgumentException("site fail-first must be >= 0, was " + siteFailFirst);
        if (siteFailStatus < 400 || siteFailStatus > 599) throw new IllegalArgumentException("site fail status must be 400..599, was " + siteFailStatus);
        if (echoBarrier < 0) throw new IllegalArgumentException("echo barrier must be >= 0, was " + echoBarrier);
        if (transport == null || !(transport.equals("auto") || transport.equals("epoll") || transport.equals("nio")))
            throw new IllegalArgumentException("transport '" + transport + "' is unknown: use auto, epoll or nio");
    }

    /** Loopback, ephemeral ports, one thread, a 1,000-page site with seed 1, no latency. */
    public static ServerOptions defaults() {
        return new ServerOptions("127.0.0.1", 0, 0, 1, 1000, 1, 0, 0, 429, 0, "auto");
    }

    public ServerOptions withHost(String host) {
        return new ServerOptions(host, port, echoPort, threads, pages, seed, siteLatencyMs, siteFailFirst, siteFailStatus, echoBarrier, transport);
    }

    public ServerOptions withPort(int port) {
        return new ServerOptions(host, port, echoPort, threads, pages, seed, siteLatencyMs, siteFailFirst, siteFailStatus, echoBarrier, transport);
    }

    public ServerOptions withEchoPort(int echoPort) {
        return new ServerOptions(host, port, echoPort, threads, pages, seed, siteLatencyMs, siteFailFirst, siteFailStatus, echoBarrier, transport);
    }

    public ServerOptions withThreads(int threads) {
        return new ServerOptions(host, port, echoPort, threads, pages, seed, siteLatencyMs, siteFailFirst, siteFailStatus, echoBarrier, transport);
    }

    public ServerOptions withSite(int pages, long seed) {
        return new ServerOptions(host, port, echoPort, threads, pages, seed, siteLatencyMs, siteFailFirst, siteFailStatus, echoBarrier, transport);
    }

    public ServerOptions withSiteLatencyMs(int siteLatencyMs) {
        return new ServerOptions(host, port, echoPort, threads, pages, seed, siteLatencyMs, siteFailFirst, siteFailStatus, echoBarrier, transport);
    }

    public ServerOptions withSiteFailures(int failFirst, int status) {
        return new ServerOptions(host, port, echoPort, threads, pages, seed, siteLatencyMs, failFirst, status, echoBarrier, transport);
    }

    public ServerOptions withEchoBarrier(int echoBarrier) {
        return new ServerOptions(host, port, echoPort, threads, pages, seed, siteLatencyMs, siteFailFirst, siteFailStatus, echoBarrier, transport);
    }

    public ServerOptions withTransport(String transport) {
        return new ServerOptions(host, port, echoPort, threads, pages, seed, siteLatencyMs, siteFailFirst, siteFailStatus, echoBarrier, transport);
    }
}
