package io.railyard.crawl;

import java.time.Duration;
import java.util.List;

/**
 * What to crawl and how politely. Immutable; {@link #defaults(List)} then the {@code with...}
 * methods.
 *
 * @param seeds          normalised http(s) URLs, depth 0
 * @param concurrency    fetches in flight at most (the pool's concurrency)
 * @param maxDepth       links are followed from pages at depth &lt; maxDepth; {@link Integer#MAX_VALUE}: no limit
 * @param maxPages       URLs fetched at most (pages, redirects, errors...); {@link Long#MAX_VALUE}: no limit
 * @param sameHost       follow links only to the seeds' hosts (host and port)
 * @param perHost        fetches in flight at most per origin (robots.txt included)
 * @param delayMs        least time between the starts of two fetches from one origin
 * @param respectRobots  fetch each origin's robots.txt first and skip what it disallows
 * @param retries        further tries of a fetch that failed in a way that may pass (429, 5xx, connection, timeout)
 * @param backoffMs      wait before the first retry; doubles for each next one (with jitter)
 * @param maxBackoffMs   longest wait before a retry, Retry-After included
 * @param maxRedirects   redirects followed in a row from one URL
 * @param fetchTimeout   the longest a whole fetch may take (the pool's task timeout)
 * @param fetch          what each fetch task needs (timeouts, page cap, User-Agent)
 */
public record CrawlOptions(List<String> seeds, int concurrency, int maxDepth, long maxPages, boolean sameHost,
                           int perHost, long delayMs, boolean respectRobots, int retries, long backoffMs,
                           long maxBackoffMs, int maxRedirects, Duration fetchTimeout, FetchSettings fetch) {

    public CrawlOptions {
        seeds = List.copyOf(seeds);
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
        if (maxDepth < 0) throw new IllegalArgumentException("depth must be >= 0, was " + maxDepth);
        if (maxPages < 1) throw new IllegalArgumentException("max pages must be >= 1, was " + maxPages);
        if (perHost < 1) throw new IllegalArgumentException("per-host cap must be >= 1, was " + perHost);
        if (delayMs < 0) throw new IllegalArgumentException("delay must be >= 0 ms, was " + delayMs);
        if (retries < 0) throw new IllegalArgumentException("retries must be >= 0, was " + retries);
        if (backoffMs < 0 || maxBackoffMs < backoffMs) throw new IllegalArgumentException("backoff must be 0.." + maxBackoffMs + " ms, was " + backoffMs);
        if (maxRedirects < 0) throw new IllegalArgumentException("max redirects must be >= 0, was " + maxRedirects);
        if (fetchTimeout.isNegative() || fetchTimeout.isZero()) throw new IllegalArgumentException("fetch timeout must be positive");
    }

    /** 100 in flight, depth 1, no page limit, 8 per origin, no delay, robots.txt respected, 3 retries from 500 ms. */
    public static CrawlOptions defaults(List<String> seeds) {
        return new CrawlOptions(seeds, 100, 1, Long.MAX_VALUE, false, 8, 0, true, 3, 500, 60_000, 5,
                Duration.ofSeconds(60), FetchSettings.defaults());
    }

    public CrawlOptions withConcurrency(int c) {
        return new CrawlOptions(seeds, c, maxDepth, maxPages, sameHost, perHost, delayMs, respectRobots, retries, backoffMs, maxBackoffMs, maxRedirects, fetchTimeout, fetch);
    }

    public CrawlOptions withMaxDepth(int d) {
        return new CrawlOptions(seeds, concurrency, d, maxPages, sameHost, perHost, delayMs, respectRobots, retries, backoffMs, maxBackoffMs, maxRedirects, fetchTimeout, fetch);
    }

    public CrawlOptions withMaxPages(long p) {
        return new CrawlOptions(seeds, concurrency, maxDepth, p, sameHost, perHost, delayMs, respectRobots, retries, backoffMs, maxBackoffMs, maxRedirects, fetchTimeout, fetch);
    }

    public CrawlOptions withSameHost(boolean s) {
        return new CrawlOptions(seeds, concurrency, maxDepth, maxPages, s, perHost, delayMs, respectRobots, retries, backoffMs, maxBackoffMs, maxRedirects, fetchTimeout, fetch);
    }

    public CrawlOptions withPerHost(int n) {
        return new CrawlOptions(seeds, concurrency, maxDepth, maxPages, sameHost, n, delayMs, respectRobots, retries, backoffMs, maxBackoffMs, maxRedirects, fetchTimeout, fetch);
    }

    public CrawlOptions withDelayMs(long ms) {
        return new CrawlOptions(seeds, concurrency, maxDepth, maxPages, sameHost, perHost, ms, respectRobots, retries, backoffMs, maxBackoffMs, maxRedirects, fetchTimeout, fetch);
    }

    public CrawlOptions withRespectRobots(boolean r) {
        return new CrawlOptions(seeds, concurrency, maxDepth, maxPages, sameHost, perHost, delayMs, r, retries, backoffMs, maxBackoffMs, maxRedirects, fetchTimeout, fetch);
    }

    public CrawlOptions withRetries(int n, long backoffMs) {
        return new CrawlOptions(seeds, concurrency, maxDepth, maxPages, sameHost, perHost, delayMs, respectRobots, n, backoffMs, Math.max(maxBackoffMs, backoffMs), maxRedirects, fetchTimeout, fetch);
    }

    public CrawlOptions withFetchTimeout(Duration t) {
        return new CrawlOptions(seeds, concurrency, maxDepth, maxPages, sameHost, perHost, delayMs, respectRobots, retries, backoffMs, maxBackoffMs, maxRedirects, t, fetch);
    }

    public CrawlOptions withFetch(FetchSettings f) {
        return new CrawlOptions(seeds, concurrency, maxDepth, maxPages, sameHost, perHost, delayMs, respectRobots, retries, backoffMs, maxBackoffMs, maxRedirects, fetchTimeout, f);
    }
}
