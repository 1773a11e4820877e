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
 * @param scope          which linked URLs are followed ({@code --same-host}, {@code --same-domain},
 *                       {@code --include}, {@code --exclude}); links outside are written, not fetched
 * @param perHost        fetches in flight at most per origin (robots.txt included)
 * @param delayMs        least time between the starts of two fetches from one origin
 * @param respectRobots  fetch each origin's robots.txt first and skip what it disallows
 * @param retries        further tries of a fetch that failed in a way that may pass (429, 5xx, connection, timeout)
 * @param backoffMs      wait before the first retry; doubles for each next one (with jitter)
 * @param maxBackoffMs   longest wait before a retry, Retry-After included
 * @param maxRedirects   redirects followed in a row from one URL
 * @param fetchTimeout   the longest a whole fetch may take (the pool's task timeout)
 * @param fetch          what each fetch task needs (timeouts, page cap, User-Agent, proxy)
 * @param sitemaps       seed the crawl from each start origin's sitemaps (robots.txt's {@code Sitemap:}
 *                       lines and {@code /sitemap.xml}); their URLs enter at depth 0
 * @param obeyMetaRobots a page whose robots directives (meta tag, X-Robots-Tag) say {@code nofollow}
 *                       has its links written but not followed
 */
public record CrawlOptions(List<String> seeds, int concurrency, int maxDepth, long maxPages, Scope scope,
                           int perHost, long delayMs, boolean respectRobots, int retries, long backoffMs,
                           long maxBackoffMs, int maxRedirects, Duration fetchTimeout, FetchSettings fetch,
                           boolean sitemaps, boolean obeyMetaRobots) {

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
        if (scope == null) scope = Scope.ALL;
    }

    /**
     * 100 in flight, depth 1, no page limit, every link followed, 8 per origin, no delay, robots.txt
     * and meta robots respected, 3 retries from 500 ms, no sitemaps.
     */
    public static CrawlOptions defaults(List<String> seeds) {
        return new CrawlOptions(seeds, 100, 1, Long.MAX_VALUE, Scope.ALL, 8, 0, true, 3, 500, 60_000, 5,
                Duration.ofSeconds(60), FetchSettings.defaults(), false, true);
    }

    public CrawlOptions withConcurrency(int c) {
        return new CrawlOptions(seeds, c, maxDepth, maxPages, scope, perHost, delayMs, respectRobots, retries, backoffMs, maxBackoffMs, maxRedirects, fetchTimeout, fetch, sitemaps, obeyMetaRobots);
    }

    public CrawlOptions withMaxDepth(int d) {
        return new CrawlOptions(seeds, concurrency, d, maxPages, scope, perHost, delayMs, respectRobots, retries, backoffMs, maxBackoffMs, maxRedirects, fetchTimeout, fetch, sitemaps, obeyMetaRobots);
    }

    public CrawlOptions withMaxPages(long p) {
        return new CrawlOptions(seeds, concurrency, maxDepth, p, scope, perHost, delayMs, respectRobots, retries, backoffMs, maxBackoffMs, maxRedirects, fetchTimeout, fetch, sitemaps, obeyMetaRobots);
    }

    /** Follow links only to the seeds' hosts (host and port), or to every host. */
    public CrawlOptions withSameHost(boolean s) {
        return new CrawlOptions(seeds, concurrency, maxDepth, maxPages, Scope.of(s, false, java.util.List.of(), java.util.List.of()), perHost, delayMs, respectRobots, retries, backoffMs, maxBackoffMs, maxRedirects, fetchTimeout, fetch, sitemaps, obeyMetaRobots);
    }

    public CrawlOptions withScope(Scope s) {
        return new CrawlOptions(seeds, concurrency, maxDepth, maxPages, s, perHost, delayMs, respectRobots, retries, backoffMs, maxBackoffMs, maxRedirects, fetchTimeout, fetch, sitemaps, obeyMetaRobots);
    }

    public CrawlOptions withPerHost(int n) {
        return new CrawlOptions(seeds, concurrency, maxDepth, maxPages, scope, n, delayMs, respectRobots, retries, backoffMs, maxBackoffMs, maxRedirects, fetchTimeout, fetch, sitemaps, obeyMetaRobots);
    }

    public CrawlOptions withDelayMs(long ms) {
        return new CrawlOptions(seeds, concurrency, maxDepth, maxPages, scope, perHost, ms, respectRobots, retries, backoffMs, maxBackoffMs, maxRedirects, fetchTimeout, fetch, sitemaps, obeyMetaRobots);
    }

    public CrawlOptions withRespectRobots(boolean r) {
        return new CrawlOptions(seeds, concurrency, maxDepth, maxPages, scope, perHost, delayMs, r, retries, backoffMs, maxBackoffMs, maxRedirects, fetchTimeout, fetch, sitemaps, obeyMetaRobots);
    }

    public CrawlOptions withRetries(int n, long backoffMs) {
        return new CrawlOptions(seeds, concurrency, maxDepth, maxPages, scope, perHost, delayMs, respectRobots, n, backoffMs, Math.max(maxBackoffMs, backoffMs), maxRedirects, fetchTimeout, fetch, sitemaps, obeyMetaRobots);
    }

    public CrawlOptions withFetchTimeout(Duration t) {
        return new CrawlOptions(seeds, concurrency, maxDepth, maxPages, scope, perHost, delayMs, respectRobots, retries, backoffMs, maxBackoffMs, maxRedirects, t, fetch, sitemaps, obeyMetaRobots);
    }

    public CrawlOptions withFetch(FetchSettings f) {
        return new CrawlOptions(seeds, concurrency, maxDepth, maxPages, scope, perHost, delayMs, respectRobots, retries, backoffMs, maxBackoffMs, maxRedirects, fetchTimeout, f, sitemaps, obeyMetaRobots);
    }

    public CrawlOptions withSitemaps(boolean on) {
        return new CrawlOptions(seeds, concurrency, maxDepth, maxPages, scope, perHost, delayMs, respectRobots, retries, backoffMs, maxBackoffMs, maxRedirects, fetchTimeout, fetch, on, obeyMetaRobots);
    }

    public CrawlOptions withObeyMetaRobots(boolean on) {
        return new CrawlOptions(seeds, concurrency, maxDepth, maxPages, scope, perHost, delayMs, respectRobots, retries, backoffMs, maxBackoffMs, maxRedirects, fetchTimeout, fetch, sitemaps, on);
    }
}
