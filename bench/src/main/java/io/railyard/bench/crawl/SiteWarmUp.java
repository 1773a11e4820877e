package io.railyard.bench.crawl;

import io.railyard.crawl.Fetches;
import io.railyard.crawl.http.BlockingHttp;
import io.railyard.server.SiteGraph;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Warms a freshly started latency server before a measured crawl, in two steps: the server's own
 * warm-up ({@link io.railyard.server.ServerProcess#start(io.railyard.server.ServerOptions, int)}
 * with {@link #SERVER_REQUESTS}: its request and accept paths compiled, hundreds of connections at
 * once), then {@link #warm}: every page of its site fetched once without latency
 * ({@code ?latency=0}), so that each page is rendered and cached. A crawl measured after it measures
 * the crawler, not the server's first seconds. The second step runs in the crawler's JVM but on
 * {@code HttpURLConnection} from 8 virtual threads: none of the crawler's own code is warmed.
 */
public final class SiteWarmUp {

    /** Requests the server sends itself before it serves (its own warm-up). */
    public static final int SERVER_REQUESTS = 3000;

    private SiteWarmUp() {}

    /** Fetches every page of {@code site} served at {@code origin} once; returns when all are answered. */
    public static void warm(String origin, SiteGraph site) throws IOException, InterruptedException {
        BlockingHttp http = new BlockingHttp();
        List<SiteGraph.Page> pages = site.pages();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> parts = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int first = t;
                parts.add(threads.submit(() -> {
                    for (int i = first; i < pages.size(); i += 8) http.get(URI.create(origin + pages.get(i).path() + "?latency=0"));
                    return null;
                }));
            }
            for (Future<?> f : parts) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IOException("warming the server failed: " + e.getCause().getMessage(), e.getCause());
                }
            }
        }
    }
}
