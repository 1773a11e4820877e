package io.railyard.crawl;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a crawl did, for its closing summary (text, or {@code --json}).
 *
 * @param end         {@code done} (nothing left), {@code max-pages} (the budget cut it) or
 *                    {@code stopped} (Ctrl-C: resume with {@code --resume})
 * @param held        records the output held before this run (resume)
 * @param pages       HTML pages recorded (held ones included, as in every count below)
 * @param notHtml     URLs skipped for not being HTML
 * @param redirects   redirects recorded
 * @param errors      URLs recorded as errors, by kind
 * @param links       link lines in the output
 * @param retries     fetches tried again (robots.txt included)
 * @param disallowed  URLs robots.txt kept the crawl from
 * @param truncated   pages cut at the page-size cap
 * @param urlsSeen    distinct URLs seen (fetched, linked, redirected to)
 * @param offsite     linked URLs not followed for being on another host or domain ({@code --same-host}, {@code --same-domain})
 * @param tooDeep     linked URLs not followed for being beyond {@code --depth}
 * @param origins     distinct origins seen
 * @param wallNanos   the run's wall time
 * @param bytesWritten bytes this run appended to the output
 * @param excluded    linked URLs not followed for {@code --include}/{@code --exclude}
 * @param noindex     pages whose robots directives say noindex
 * @param nofollow    pages whose robots directives say nofollow (their links were not followed, unless ignored)
 * @param sitemaps    sitemap files read
 * @param sitemapUrls page URLs the sitemaps listed
 * @param wireBytes   body bytes received by this run (before content decoding)
 * @param decodedBytes body bytes after decoding
 * @param hosts       per origin: what this run fetched there
 * @param limits      what held the crawl back, the largest share of its wall time first
 */
public record CrawlResult(String end, long held, long pages, long notHtml, long redirects, Map<String, Long> errors,
                          long links, long retries, long disallowed, long truncated, long urlsSeen, long offsite,
                          long tooDeep, long origins, long wallNanos, long bytesWritten, long excluded, long noindex,
                          long nofollow, long sitemaps, long sitemapUrls, long wireBytes, long decodedBytes,
                          Map<String, HostCount> hosts, List<Limit> limits) {

    public CrawlResult {
        errors = Collections.unmodifiableMap(new TreeMap<>(errors));
        hosts = Collections.unmodifiableMap(new LinkedHashMap<>(hosts));
        limits = List.copyOf(limits);
    }

    /**
     * One origin's share of the crawl (this run's fetches).
     *
     * @param fetched URLs fetched (robots.txt and sitemaps not counted)
     * @param errors  of those, recorded as errors
     */
    public record HostCount(long fetched, long pages, long errors, long wireBytes) {}

    /**
     * A limit that held the crawl back, and for how much of its wall time.
     *
     * @param limit        {@code concurrency} (-c), {@code per-host} (--per-host), {@code delay}
     *                     (--delay-ms or a Crawl-delay), {@code robots.txt} (waiting for one),
     *                     {@code backoff} (waiting to retry), {@code max-pages}, {@code depth}
     * @param share        of the wall time, 0..1 ({@code max-pages} and {@code depth}: 0, they cut
     *                     rather than slow)
     * @param origin       the origin it held most, when it is per origin, else ""
     * @param meanInFlight fetches in flight on average while it held
     * @param setting      the value of the limit (the cap, the delay in ms, the page budget, the depth)
     * @param count        URLs it kept out ({@code max-pages}, {@code depth}), else 0
     */
    public record Limit(String limit, double share, String origin, double meanInFlight, long setting, long count) {

        /** One line: what held, how much, and what raises it. */
        public String describe(int concurrency) {
            String pct = String.format(Locale.ROOT, "%.0f%%", share * 100);
            return switch (limit) {
                case "per-host" -> String.format(Locale.ROOT, "the per-host cap (%d) held concurrency at %.0f of -c %d on %s for %s of the crawl; --per-host raises it",
                        setting, meanInFlight, concurrency, origin, pct);
                case "concurrency" -> String.format(Locale.ROOT, "-c %d held the crawl for %s of it: more was ready to fetch; -c raises it", concurrency, pct);
                case "delay" -> String.format(Locale.ROOT, "the delay between fetches (%d ms) on %s held the crawl for %s of it; %s",
                        setting, origin, pct, "--delay-ms sets it (a robots.txt Crawl-delay can only raise it)");
                case "robots.txt" -> String.format(Locale.ROOT, "waiting for robots.txt held the crawl for %s of it", pct);
                case "backoff" -> String.format(Locale.ROOT, "waiting to retry held the crawl for %s of it; --backoff-ms and --retries set it", pct);
                case "max-pages" -> String.format(Locale.ROOT, "--max-pages %d stopped the crawl with URLs still to fetch", setting);
                case "depth" -> String.format(Locale.ROOT, "--depth %d left %,d linked URLs unfetched", setting, count);
                default -> limit + " " + pct;
            };
        }
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * True if no URL answered at all (no page, no skip, no redirect, held ones included) and at
     * least one ended as an error or behind robots.txt: the start URLs could not be crawled.
     */
    public boolean nothingFetched() {
        return pages + notHtml + redirects == 0 && (errorCount() > 0 || disallowed > 0);
    }

    /** URLs with a record: pages, skips, redirects, errors (sitemaps not counted). */
    public long recorded() {
        return pages + notHtml + redirects + errorCount();
    }

    public double wallSeconds() {
        return wallNanos / 1e9;
    }
}
