package io.railyard.crawl;

/**
 * Where a crawl is, for a progress bar.
 *
 * @param done      URLs with a record in the output (held ones included)
 * @param fetched   of those, fetched by this run
 * @param errors    URLs recorded as errors
 * @param queued    URLs waiting to be fetched (retries included)
 * @param inFlight  fetches running now
 * @param finished  the crawl has ended
 */
public record CrawlProgress(long done, long fetched, long errors, long queued, int inFlight, long elapsedNanos, boolean finished) {

    /** URLs fetched by this run per second of its wall time. */
    public double perSecond() {
        return elapsedNanos <= 0 ? 0 : fetched / (elapsedNanos / 1e9);
    }
}
