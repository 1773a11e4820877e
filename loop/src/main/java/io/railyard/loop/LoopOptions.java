package io.railyard.loop;

import io.railyard.core.PoolSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The settings of a {@link LoopPool}, read from {@link PoolSpec#options()} (strings, so the CLI can
 * pass them through). Every key is optional:
 *
 * <table>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@code loop.transport}</td><td>{@code auto}</td><td>{@code epoll}, {@code nio}, or
 *       {@code auto} (epoll where the native library loads, else NIO)</td></tr>
 *   <tr><td>{@code loop.slowCallbackMs}</td><td>100</td><td>a callback running longer is reported
 *       with its stack (asyncio's {@code slow_callback_duration})</td></tr>
 *   <tr><td>{@code loop.lagIntervalMs}</td><td>25</td><td>period of the lag probe timer</td></tr>
 *   <tr><td>{@code loop.offloadThreads}</td><td>min(32, cores + 4)</td><td>threads of the helper
 *       pool behind {@code toThread} and file IO (asyncio's default executor size)</td></tr>
 *   <tr><td>{@code http.connectTimeoutMs}</td><td>10000</td><td>TCP (and TLS) connect timeout</td></tr>
 *   <tr><td>{@code http.readTimeoutMs}</td><td>30000</td><td>longest silence while a response is
 *       awaited</td></tr>
 *   <tr><td>{@code http.maxConnectionsPerHost}</td><td>0 (no limit)</td><td>requests beyond it wait
 *       for a connection</td></tr>
 *   <tr><td>{@code http.maxIdlePerHost}</td><td>0 (no limit)</td><td>keep-alive connections kept
 *       idle; more are closed on release</td></tr>
 *   <tr><td>{@code http.maxBufferedBytes}</td><td>a quarter of the heap, at least 64 MiB</td><td>most
 *       bytes of response bodies held by the requests in flight together; a request that would
 *       cross it fails</td></tr>
 *   <tr><td>{@code https.trustStore}</td><td>the JDK's</td><td>a PKCS12 key store of trusted
 *       certificates (for a server with a self-signed certificate)</td></tr>
 *   <tr><td>{@code https.trustStorePassword}</td><td>empty</td><td>its password</td></tr>
 * </table>
 *
 * Immutable.
 */
public record LoopOptions(String transport, Duration slowCallback, Duration lagInterval, int offloadThreads,
                          Duration connectTimeout, Duration readTimeout, int maxConnectionsPerHost,
                          int maxIdlePerHost, Path trustStore, String trustStorePassword, long maxBufferedBytes) {

    public LoopOptions {
        if (!transport.equals("auto") && !transport.equals("epoll") && !transport.equals("nio"))
            throw new IllegalArgumentException("option loop.transport=" + transport
                    + " is not a transport: use auto, epoll or nio");
        if (trustStore != null && !Files.isRegularFile(trustStore))
            throw new IllegalArgumentException("option https.trustStore=" + trustStore
                    + " is not a file: give the path of a PKCS12 key store");
    }

    /** The option names of the table above. */
    public static final java.util.List<String> KEYS = java.util.List.of("loop.transport", "loop.slowCallbackMs", "loop.lagIntervalMs",
            "loop.offloadThreads", "http.connectTimeoutMs", "http.readTimeoutMs", "http.maxConnectionsPerHost", "http.maxIdlePerHost",
            "http.maxBufferedBytes", "https.trustStore", "https.trustStorePassword");

    /** The defaults listed above. */
    public static LoopOptions defaults() {
        return from(PoolSpec.of(1));
    }

    /** Reads the options of a pool spec; throws IllegalArgumentException naming a bad key and its fix. */
    public static LoopOptions from(PoolSpec spec) {
        int cores = Runtime.getRuntime().availableProcessors();
        String store = spec.option("https.trustStore", null);
        return new LoopOptions(
                spec.option("loop.transport", "auto"),
                Duration.ofMillis(positive(spec, "loop.slowCallbackMs", 100)),
                Duration.ofMillis(positive(spec, "loop.lagIntervalMs", 25)),
                (int) positive(spec, "loop.offloadThreads", Math.min(32, cores + 4)),
                Duration.ofMillis(positive(spec, "http.connectTimeoutMs", 10_000)),
                Duration.ofMillis(positive(spec, "http.readTimeoutMs", 30_000)),
                (int) atLeastZero(spec, "http.maxConnectionsPerHost", 0),
                (int) atLeastZero(spec, "http.maxIdlePerHost", 0),
                store == null ? null : Path.of(store),
                spec.option("https.trustStorePassword", ""),
                positive(spec, "http.maxBufferedBytes", defaultMaxBufferedBytes()));
    }

    /** A quarter of the heap, so a run's response bodies cannot fill it, but at least one largest body (64 MiB). */
    static long defaultMaxBufferedBytes() {
        return Math.min(Integer.MAX_VALUE, Math.max(LoopHttpClient.MAX_BODY_BYTES, Runtime.getRuntime().maxMemory() / 4));
    }

    private static long positive(PoolSpec spec, String key, long fallback) {
        long v = number(spec, key, fallback);
        if (v < 1) throw new IllegalArgumentException("option " + key + "=" + v + " must be at least 1");
        return v;
    }

    private static long atLeastZero(PoolSpec spec, String key, long fallback) {
        long v = number(spec, key, fallback);
        if (v < 0) throw new IllegalArgumentException("option " + key + "=" + v + " must be 0 (no limit) or more");
        return v;
    }

    private static long number(PoolSpec spec, String key, long fallback) {
        String s = spec.option(key, null);
        if (s == null) return fallback;
        try {
            long v = Long.parseLong(s.trim());
            if (v > Integer.MAX_VALUE) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + "=" + s + " is not a whole number: give e.g. "
                    + key + "=" + fallback);
        }
    }
}
