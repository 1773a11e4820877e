package io.railyard.crawl;

import io.railyard.crawl.http.BlockingHttp;
import io.railyard.core.BlockingTask;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One fetch and parse on a blocking model ({@code threads}, {@code virtual}, {@code processes}):
 * GET the URL with {@link BlockingHttp}, classify the answer, and for an HTML page extract its
 * links, all on the worker that runs it. A record of strings, so that a {@code processes} pool can
 * send it to a worker JVM (it is on bench's allow-list) and the parse runs there.
 *
 * @param url    a normalised http(s) URL
 * @param robots true for a robots.txt fetch (its text comes back, not links)
 */
public record FetchTask(String url, boolean robots, FetchSettings settings) implements BlockingTask<Fetched> {

    /** One client per settings per JVM; a worker process makes its own on its first task. */
    private static final ConcurrentHashMap<FetchSettings, BlockingHttp> CLIENTS = new ConcurrentHashMap<>();

    @Override
    public Fetched call() {
        BlockingHttp http = CLIENTS.computeIfAbsent(settings, s -> new BlockingHttp(new BlockingHttp.Options(
                Duration.ofMillis(s.connectTimeoutMs()), Duration.ofMillis(s.readTimeoutMs()),
                Math.max(s.maxPageBytes(), FetchSettings.MAX_ROBOTS_BYTES), s.userAgent())));
        BlockingHttp.Response r;
        try {
            r = http.get(URI.create(url));
        } catch (IOException | RuntimeException e) {
            return Fetches.failure(e);
        }
        int cap = robots ? FetchSettings.MAX_ROBOTS_BYTES : settings.maxPageBytes();
        byte[] body = r.body();
        boolean truncated = r.truncated() || body.length > cap;
        if (body.length > cap) body = java.util.Arrays.copyOf(body, cap);
        return Fetches.answer(url, robots, r.status(), r.header("content-type"), r.header("location"),
                r.header("retry-after"), body, truncated);
    }
}
