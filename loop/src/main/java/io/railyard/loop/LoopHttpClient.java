package io.railyard.loop;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;

import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.TrustManagerFactory;

/**
 * A non-blocking HTTP/1.1 client on the loop: the facility loop tasks use for HTTP
 * ({@code ctx.facility(LoopHttpClient.class)}), like aiohttp's {@code ClientSession}.
 *
 * <ul>
 *   <li>One keep-alive connection pool per origin ({@code scheme://host:port}): a finished response
 *       returns its connection to the pool and the next request reuses it. A request that finds a
 *       reused connection closed by the server before any answer is retried once on a fresh
 *       connection, if its method is idempotent.</li>
 *   <li>Bodies framed by {@code Content-Length}, chunked transfer-encoding, or connection close
 *       (Netty's HTTP decoder does the parsing).</li>
 *   <li>Connect and read timeouts ({@link LoopOptions}); the read timeout is the longest silence
 *       while a response is awaited, checked by one timer per busy connection, not per request. A
 *       request may also carry a deadline for the whole exchange ({@link LoopHttpRequest#withDeadline}),
 *       one timer per such request.</li>
 *   <li>Memory bounded per run, not only per response: a body is at most 64 MiB (or the request's
 *       own limit), and the bodies of all exchanges in flight together at most option
 *       {@code http.maxBufferedBytes}; a request that would cross it fails with a
 *       {@link BodyLimitException}. A request that only needs a body's size counts it without
 *       keeping it ({@link LoopHttpRequest#withCountedBody}).</li>
 *   <li>https with the JDK's SSLEngine through Netty's {@code SslContext}, with hostname
 *       verification; TLS delegated tasks run on the helper pool, not the loop.</li>
 *   <li>Requests are encoded once ({@link LoopHttpRequest}) and written as buffer duplicates.</li>
 *   <li>An HTTP proxy per request ({@link LoopHttpRequest#via}): http in absolute form, https
 *       tunnelled with {@code CONNECT}; only the proxy's name is resolved.</li>
 * </ul>
 *
 * <p>Thread-safety: {@link #send} may be called from any thread (it hops to the loop); everything
 * else in the client, its pools and connections is loop-confined. Futures complete on the loop.
 */
public final class LoopHttpClient {

    static final int MAX_BODY_BYTES = 64 << 20;

    final Loop loop;
    final int connectTimeoutMillis;
    final long readTimeoutNanos;
    final int maxConnectionsPerHost;
    final int maxIdlePerHost;
    /** Most bytes of response bodies held by exchanges in flight, all origins together. */
    final long maxBufferedBytes;
    private long buffered;          // loop-confined
    private volatile long peakBuffered;
    private final HashMap<String, HostPool> pools = new HashMap<>();
    private CompletableFuture<SslContext> ssl;
    private volatile long connectionsOpened;
    private volatile long requestsSent;

    LoopHttpClient(Loop loop) {
        this.loop = loop;
        LoopOptions o = loop.options;
        this.connectTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, o.connectTimeout().toMillis());
        this.readTimeoutNanos = o.readTimeout().toNanos();
        this.maxConnectionsPerHost = o.maxConnectionsPerHost();
        this.maxIdlePerHost = o.maxIdlePerHost();
        this.maxBufferedBytes = o.maxBufferedBytes();
    }

    /** Sends the request; the future completes on the loop with the whole response. */
    public CompletableFuture<LoopHttpResponse> send(LoopHttpRequest request) {
        Exchange ex = new Exchange(this, request);
        if (loop.inLoop()) {
            dispatch(ex);
        } else {
            try {
                loop.eventLoop.execute(() -> dispatch(ex));
            } catch (RejectedExecutionException e) {
                ex.completeExceptionally(new RejectedExecutionException("the loop pool is shut down; " + request + " was not sent"));
            }
        }
        return ex;
    }

    /** A GET of {@code url}. For many requests to one URL, build a {@link LoopHttpRequest} once and {@link #send} it. */
    public CompletableFuture<LoopHttpResponse> get(String url) {
        return send(LoopHttpRequest.get(url));
    }

    /** Connections opened since the pool started (lower than requests when keep-alive works). */
    public long connectionsOpened() {
        return connectionsOpened;
    }

    public long requestsSent() {
        return requestsSent;
    }

    /** Open connections (idle and busy) over every origin. Loop-confined. */
    public int openConnections() {
        loop.checkOwner("LoopHttpClient.openConnections");
        int n = 0;
        for (HostPool p : pools.values()) n += p.live();
        return n;
    }

    /** Idle keep-alive connections over every origin. Loop-confined. */
    public int idleConnections() {
        loop.checkOwner("LoopHttpClient.idleConnections");
        int n = 0;
        for (HostPool p : pools.values()) n += p.idle();
        return n;
    }

    /** Bytes of response bodies held by exchanges in flight now. Loop-confined. */
    public long bufferedBytes() {
        loop.checkOwner("LoopHttpClient.bufferedBytes");
        return buffered;
    }

    /** The most bytes of response bodies held at once since the pool started (never above option {@code http.maxBufferedBytes}). */
    public long peakBufferedBytes() {
        return peakBuffered;
    }

    /** Takes {@code n} bytes from the buffer limit, if they fit. Loop-confined. */
    boolean reserve(long n) {
        if (buffered + n > maxBufferedBytes) return false;
        buffered += n;
        if (buffered > peakBuffered) peakBuffered = buffered;
        return true;
    }

    /** Gives back bytes taken by {@link #reserve}; from any thread (a cancel completes an exchange on the canceller's). */
    void release(long n) {
        if (loop.inLoop()) buffered -= n;
        else loop.execute(() -> buffered -= n);
    }

    /** Fails {@code ex} at its request's deadline unless it ends before; the timer goes when it ends. */
    private void armDeadline(Exchange ex) {
        long nanos = ex.request.deadlineNanos();
        ex.deadline = loop.eventLoop.schedule(() -> {
            if (ex.isDone()) return;
            loop.fail(ex, new DeadlineExceededException("no complete response from " + ex.request.origin() + " to " + ex.request
                    + " within its deadline of " + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms"));
            abort(ex); // a half-read response cannot be reused: its connection is closed
        }, nanos, TimeUnit.NANOSECONDS);
        if (ex.isDone()) ex.deadline.cancel(false); // ended (cancelled from another thread) as the timer was set
    }

    private void dispatch(Exchange ex) {
        assert loop.inLoop();
        if (ex.isDone()) return; // cancelled before it reached the loop
        if (ex.request.deadlineNanos() > 0) armDeadline(ex);
        String key = ex.request.poolKey();
        HostPool pool = pools.get(key);
        if (pool == null) {
            pool = new HostPool(this, ex.request);
            pools.put(key, pool);
        }
        pool.acquire(ex);
    }

    // both counters are written on the loop thread only, so a plain increment of the volatile is safe
    void connectionOpened() {
        connectionsOpened++;
    }

    void requestSent() {
        requestsSent++;
    }

    /** The TLS context, built once on the helper pool (it reads key stores); completes on the loop. */
    CompletableFuture<SslContext> sslContext() {
        assert loop.inLoop();
        if (ssl == null) {
            LoopOptions o = loop.options;
            ssl = loop.offload(() -> {
                SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK)
                        .endpointIdentificationAlgorithm("HTTPS");
                if (o.trustStore() != null) {
                    KeyStore ks = KeyStore.getInstance("PKCS12");
                    try (InputStream in = Files.newInputStream(o.trustStore())) {
                        ks.load(in, o.trustStorePassword().toCharArray());
                    }
                    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                    tmf.init(ks);
                    b.trustManager(tmf);
                }
                return b.build();
            });
        }
        return ssl;
    }

    /** Abandons a cancelled exchange: its connection, if it has one, is closed. */
    void abort(Exchange ex) {
        Runnable r = () -> {
            HttpConnection c = ex.connection;
            if (c != null) c.abandon(ex);
        };
        loop.onLoop(r, ex);
    }

    /** Closes every connection; called when the pool terminates. */
    void closeAll() {
        loop.execute(() -> {
            for (HostPool p : new ArrayList<>(pools.values())) p.closeAll();
        });
    }
}
