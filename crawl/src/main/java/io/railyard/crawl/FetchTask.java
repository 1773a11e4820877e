package io.railyard.crawl;

import io.railyard.crawl.http.BlockingHttp;
import io.railyard.core.BlockingTask;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One fetch and parse on a blocking model ({@code threads}, {@code virtual}, {@code processes}):
 * GET the URL with {@link BlockingHttp} (the crawl's request headers, its proxy), decode and
 * classify the answer, and for an HTML page extract its links, all on the worker that runs it. A
 * record of strings, so that a {@code processes} pool can send it to a worker JVM (it is on crawl's
 * allow-list) and the parse runs there.
 *
 * <p>The whole fetch has a deadline of its own ({@code deadlineMs}, the crawl's fetch timeout): the
 * pool's task timeout only interrupts the worker, and a thread blocked reading a server that drips its
 * answer ignores that, so without it the fetch, its worker and the crawl's end would wait for the server.
 *
 * @param url        a normalised http(s) URL
 * @param kind       a page, a robots.txt (its text comes back, not links) or a sitemap (its URLs)
 * @param deadlineMs the longest the whole fetch may take, connecting to the last byte; 0 for no deadline
 */
public record FetchTask(String url, FetchKind kind, FetchSettings settings, long deadlineMs) implements BlockingTask<Fetched> {

    /** A fetch without a deadline of its own (a read timeout still bounds each silence). */
    public FetchTask(String url, FetchKind kind, FetchSettings settings) {
        this(url, kind, settings, 0);
    }

    /** One client per settings and kind per JVM (the kind sets the body cap); a worker process makes its own on its first task. */
    private static final ConcurrentHashMap<Client, BlockingHttp> CLIENTS = new ConcurrentHashMap<>();

    private record Client(FetchSettings settings, FetchKind kind) {}

    @Override
    public Fetched call() {
        BlockingHttp http = CLIENTS.computeIfAbsent(new Client(settings, kind), k -> new BlockingHttp(new BlockingHttp.Options(
                Duration.ofMillis(settings.connectTimeoutMs()), Duration.ofMillis(settings.readTimeoutMs()),
                Fetches.wireLimit(kind, settings), settings.userAgent())));
        long start = System.nanoTime();
        BlockingHttp.Response r;
        try {
            r = http.get(URI.create(url), settings.requestHeaders(), via(url, settings), deadlineMs > 0 ? Duration.ofMillis(deadlineMs) : null);
        } catch (IOException | RuntimeException e) {
            return Fetches.failure(e);
        }
        int cap = Fetches.wireLimit(kind, settings);
        byte[] body = r.body();
        boolean cut = r.truncated() || body.length > cap;
        if (body.length > cap) body = java.util.Arrays.copyOf(body, cap);
        List<String> robotsTags = r.headers().getOrDefault("x-robots-tag", List.of());
        return Fetches.answer(url, kind, settings, new HttpAnswer(r.status(), r.header("content-type"), r.header("content-encoding"),
                r.header("location"), r.header("retry-after"), robotsTags, body, cut, System.nanoTime() - start));
    }

    /** The proxy for {@code url} under these settings, or null. */
    static BlockingHttp.Via via(String url, FetchSettings settings) {
        if (!settings.proxies().any()) return null;
        URI u = URI.create(url);
        ProxySettings.Route r = settings.proxies().routeFor(u.getScheme(), u.getHost());
        return r == null ? null : new BlockingHttp.Via(r.host(), r.port(), r.user(), r.password());
    }
}
