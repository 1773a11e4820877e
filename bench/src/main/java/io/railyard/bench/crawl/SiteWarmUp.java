package io.railyard.bench.crawl;

import io.railyard.bench.http.BlockingHttp;
import io.railyard.bench.server.SiteGraph;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Warms a freshly started latency server before a measured crawl: every page of its site is
 * fetched once, without latency ({@code ?latency=0}), so the server has rendered and cached the
 * pages and compiled its hot code. A crawl measured after it measures the crawler, not the
 * server's first seconds. Blocking, from 8 virtual threads; the crawler's own code is not touched.
 */
public final class SiteWarmUp {

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
