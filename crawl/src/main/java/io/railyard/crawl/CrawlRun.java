package io.railyard.crawl;

import io.railyard.core.Models;
import io.railyard.core.PoolSpec;
import io.railyard.core.SingleEventLoop;
import io.railyard.core.TaskPool;
import io.railyard.core.autoscale.AutoscaleOptions;
import io.railyard.core.autoscale.AutoscaleReport;
import io.railyard.core.autoscale.AutoscaledPool;
import io.railyard.core.autoscale.Budget;
import io.railyard.core.probe.ResourceSampler;

import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One crawl on a model, start to end: opens the pool (the loop's HTTP client gets the crawl's
 * timeouts), samples the process tree's memory, runs the {@link Crawler}, and closes the pool
 * (drained after a normal end, stopped at once after {@link Crawler#stop}). Shared by
 * {@code railyard crawl} and {@link CrawlBenchmark}.
 *
 * <p>Not thread-safe: one call per thread.
 */
public final class CrawlRun {

    /**
     * A crawl's result, the peak resident memory of the process tree (worker JVMs included) while it
     * ran, and, for an autoscaled crawl, the autoscaler's decisions and series (else null).
     */
    public record Outcome(CrawlResult result, long peakRssBytes, AutoscaleReport autoscale) {}

    private CrawlRun() {}

    /** The pool options a model needs for these fetch settings, plus the user's own ({@code modelOptions} win). */
    public static Map<String, String> poolOptions(String model, FetchSettings fetch, Map<String, String> modelOptions) {
        Map<String, String> o = new LinkedHashMap<>();
        if (Models.get(model).has(SingleEventLoop.class)) { // fetches go through the pool's own HTTP client
            o.put("http.connectTimeoutMs", String.valueOf(fetch.connectTimeoutMs()));
            o.put("http.readTimeoutMs", String.valueOf(fetch.readTimeoutMs()));
        }
        o.putAll(modelOptions);
        return o;
    }

    /**
     * Crawls on a new pool of {@code model}.
     *
     * @param started called with the crawler before it starts (e.g. to stop it from a signal handler)
     */
    public static Outcome run(String model, Map<String, String> modelOptions, CrawlOptions options, CrawlOutput output,
                              List<CrawlOutput.Record> held, Crawler.Listener listener, Consumer<Crawler> started)
            throws IOException, InterruptedException {
        return run(model, modelOptions, options, output, held, listener, started, null, null);
    }

    /**
     * Crawls on a new pool of {@code model}, autoscaled inside {@code budget} when {@code autoscale}
     * is given ({@code options.concurrency()} is then the most in flight); the crawler reports every
     * HTTP answer to the autoscaler, so 429/503 answers slow it down.
     */
    public static Outcome run(String model, Map<String, String> modelOptions, CrawlOptions options, CrawlOutput output,
                              List<CrawlOutput.Record> held, Crawler.Listener listener, Consumer<Crawler> started,
                              Budget budget, AutoscaleOptions autoscale) throws IOException, InterruptedException {
        Fetches.warmUpInBackground(); // the parsers load while the pool opens
        PoolSpec spec = PoolSpec.of(options.concurrency()).withOptions(poolOptions(model, options.fetch(), modelOptions));
        try (ResourceSampler sampler = ResourceSampler.every20ms().start()) {
            AutoscaledPool autoscaled = autoscale != null
                    ? AutoscaledPool.open(model, spec, budget.withMaxConcurrency(options.concurrency()), autoscale) : null;
            TaskPool pool = autoscaled != null ? autoscaled : Models.open(model, spec);
            CrawlResult result = null;
            try {
                Crawler crawler = new Crawler(pool, options, output, listener);
                if (started != null) started.accept(crawler);
                result = crawler.run(held);
            } finally {
                if (result == null || result.end().equals("stopped")) pool.shutdownNow();
                else pool.close();
                pool.awaitTermination(Duration.ofSeconds(10));
            }
            return new Outcome(result, sampler.stop().peakRssBytes(), autoscaled != null ? autoscaled.report() : null);
        }
    }
}
