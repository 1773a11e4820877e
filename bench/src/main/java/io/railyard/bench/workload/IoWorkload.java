package io.railyard.bench.workload;

import io.railyard.crawl.http.BlockingHttp;
import io.railyard.server.ServerOptions;
import io.railyard.server.ServerProcess;
import io.railyard.core.AsyncTask;
import io.railyard.core.BlockingTask;
import io.railyard.core.SingleEventLoop;
import io.railyard.core.TaskContext;
import io.railyard.core.TaskPool;
import io.railyard.loop.LoopHttpClient;
import io.railyard.loop.LoopHttpRequest;
import io.railyard.loop.LoopPool;
import io.railyard.loop.LoopReport;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The seed's IO-bound work: N GET requests whose answer the server delays by L milliseconds, at
 * most C in flight (the pool's concurrency), keep-alive. The physical limit is
 * {@code ceil(N / C) * L}: C requests at a time, each taking L.
 *
 * <p>Without a URL the workload starts railyard's latency server in a detached JVM of its own
 * ({@link ServerProcess}), so the measured process tree is the client alone, and requests
 * {@code /delay/L}; with a URL it requests that URL N times (L then only sets the limit).
 *
 * <p>Every request has a deadline for the whole of it (default 30 s) and a body limit (default
 * 1 MiB); bodies are counted as they arrive and dropped, never kept, so a run's memory does not
 * grow with the concurrency times the body size, and a server that drips or never ends its body
 * fails its requests instead of holding the run.
 *
 * <p>Forms: the blocking form (this class's {@link Get} task, on {@link BlockingHttp}) runs on
 * {@code threads}, {@code virtual} and {@code processes}; the asynchronous form ({@link AsyncGet},
 * on the loop's non-blocking {@link LoopHttpClient}, one request encoded once for the whole run)
 * runs on {@code loop}.
 *
 * <p>Not thread-safe: one harness thread.
 */
public final class IoWorkload implements Workload {

    /**
     * One blocking GET whose body is counted, not kept; a named record so worker processes can
     * allow-list it. Fails on a non-2xx status, past its deadline (the whole request) or when the
     * body is longer than {@code maxBodyBytes}.
     */
    public record Get(String url, long deadlineMs, int maxBodyBytes) implements BlockingTask<Integer> {
        /** With the default deadline and body limit. */
        public Get(String url) {
            this(url, DEFAULT_TIMEOUT.toMillis(), DEFAULT_MAX_BODY_BYTES);
        }

        @Override
        public Integer call() throws IOException {
            BlockingHttp.Counted r = Clients.HTTP.count(URI.create(url), Duration.ofMillis(deadlineMs), maxBodyBytes);
            if (r.status() < 200 || r.status() > 299) throw new IOException("HTTP " + r.status() + " from " + url);
            return (int) r.bodyBytes();
        }
    }

    /** One non-blocking GET on the loop's HTTP client (deadline and counted body in the request). Fails on a non-2xx status. */
    public record AsyncGet(LoopHttpRequest request) implements AsyncTask<Integer> {
        @Override
        public CompletionStage<Integer> start(TaskContext ctx) {
            return ctx.facility(LoopHttpClient.class).send(request).thenApply(r -> {
                if (r.status() < 200 || r.status() > 299)
                    throw new CompletionException(new IOException("HTTP " + r.status() + " from " + request.uri()));
                return r.bodyLength();
            });
        }
    }

    /** One client per JVM (worker processes get their own when they first run a task). */
    static final class Clients {
        static final BlockingHttp HTTP = new BlockingHttp();

        private Clients() {}
    }

    /** Requests the server answers itself before the first trial (at most N), so no trial meets a cold server. */
    static final int SERVER_WARMUP_REQUESTS = 30_000;
    /** The deadline of a whole request unless told otherwise ({@code run io --timeout-ms}). */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** The longest body a request may have unless told otherwise ({@code run io --max-body-bytes}). */
    public static final int DEFAULT_MAX_BODY_BYTES = 1 << 20;

    private final int n;
    private final int latencyMs;
    private final String url;
    private final Duration timeout;
    private final int maxBodyBytes;
    private ServerProcess server;
    private String client = "none yet";
    private LoopReport loopReport;

    /**
     * @param url the URL to request, or null to start the latency server and request {@code /delay/L}
     */
    public IoWorkload(int n, int latencyMs, String url) {
        this(n, latencyMs, url, DEFAULT_TIMEOUT, DEFAULT_MAX_BODY_BYTES);
    }

    /**
     * @param url          the URL to request, or null to start the latency server and request {@code /delay/L}
     * @param timeout      the deadline of each whole request, connecting to the last byte of the body
     * @param maxBodyBytes the longest body a request may have (bodies are counted, not kept)
     */
    public IoWorkload(int n, int latencyMs, String url, Duration timeout, int maxBodyBytes) {
        if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("--timeout-ms must be positive, was " + timeout.toMillis());
        if (maxBodyBytes < 0) throw new IllegalArgumentException("--max-body-bytes must be 0 or more, was " + maxBodyBytes);
        this.timeout = timeout;
        this.maxBodyBytes = maxBodyBytes;
        if (n < 1) throw new IllegalArgumentException("-n must be a positive number, was " + n);
        QueuedTasks.check("-n", n);
        if (latencyMs < 0 || latencyMs > 600_000) throw new IllegalArgumentException("--latency-ms must be 0..600000, was " + latencyMs);
        if (url != null) {
            URI u;
            try {
                u = URI.create(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--url '" + url + "' is not a URL: give one like http://127.0.0.1:8080/delay/100");
            }
            if (u.getScheme() == null || !u.getScheme().equalsIgnoreCase("http") && !u.getScheme().equalsIgnoreCase("https") || u.getHost() == null)
                throw new IllegalArgumentException("--url '" + url + "' is not an http(s) URL: give one like http://127.0.0.1:8080/delay/100");
            if (u.getPort() == 0 || u.getPort() > 65535)
                throw new IllegalArgumentException("--url '" + url + "' has port " + u.getPort() + ": give a port of 1..65535, or none");
        }
        this.n = n;
        this.latencyMs = latencyMs;
        this.url = url;
    }

    @Override
    public String name() {
        return "io";
    }

    @Override
    public long tasks() {
        return n;
    }

    /** The server latency each request is given, ms. */
    public int latencyMs() {
        return latencyMs;
    }

    @Override
    public double limitSeconds(int concurrency) {
        return Math.ceil((double) n / concurrency) * latencyMs / 1000.0;
    }

    /** Starts the latency server (when there is no --url), so that no trial times its start. */
    @Override
    public void prepare() {
        target();
    }

    /** The URL every request asks for; starts the server on first use when there is no --url. */
    public String target() {
        if (url != null) return url;
        if (server == null) server = ServerProcess.start(ServerOptions.defaults().withEchoPort(-1), Math.min(SERVER_WARMUP_REQUESTS, n));
        return server.origin() + "/delay/" + latencyMs;
    }

    @Override
    public Tally runOnce(TaskPool pool, Progress progress) throws InterruptedException {
        String target = target();
        Outcomes outcomes = new Outcomes(n, progress);
        if (pool.has(SingleEventLoop.class)) {
            client = "railyard loop HTTP client (non-blocking" + pool.capability(LoopPool.class).map(l -> ", Netty " + l.transport()).orElse("") + ")";
            AsyncGet get = new AsyncGet(LoopHttpRequest.get(target).withDeadline(timeout).withCountedBody(maxBodyBytes));
            for (int i = 0; i < n; i++) outcomes.track(pool.submitAsync(get));
        } else {
            client = "HttpURLConnection (blocking)";
            Get get = new Get(target, timeout.toMillis(), maxBodyBytes);
            for (int i = 0; i < n; i++) outcomes.track(pool.submit(get));
        }
        Tally tally = outcomes.await();
        loopReport = pool.capability(LoopPool.class).map(LoopPool::report).orElse(null);
        return tally;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("n", n);
        p.put("latency_ms", latencyMs);
        p.put("url", url != null ? url : server != null ? target() : "(latency server, separate process)");
        p.put("server", url != null ? "external" : "railyard latency server, separate process");
        p.put("client", client);
        p.put("timeout_ms", timeout.toMillis());
        p.put("max_body_bytes", maxBodyBytes);
        p.putAll(LoopFigures.of(loopReport));
        return p;
    }

    @Override
    public void close() {
        if (server != null) server.close();
        server = null;
    }
}
