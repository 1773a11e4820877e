package io.railyard.crawl;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a crawl did, for its closing summary.
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
 * @param offsite     linked URLs not followed for being on another host ({@code --same-host})
 * @param tooDeep     linked URLs not followed for being beyond {@code --depth}
 * @param origins     distinct origins seen
 * @param wallNanos   the run's wall time
 * @param bytesWritten bytes this run appended to the output
 */
public record CrawlResult(String end, long held, long pages, long notHtml, long redirects, Map<String, Long> errors,
                          long links, long retries, long disallowed, long truncated, long urlsSeen, long offsite,
                          long tooDeep, long origins, long wallNanos, long bytesWritten) {

    public CrawlResult {
        errors = Collections.unmodifiableMap(new TreeMap<>(errors));
    }

    public long errorCount() {
        return errors.values().stream().mapToLong(Long::longValue).sum();
    }

    /** URLs with a record: pages, skips, redirects, errors. */
    public long recorded() {
        return pages + notHtml + redirects + errorCount();
    }

    public double wallSeconds() {
        return wallNanos / 1e9;
    }
}
