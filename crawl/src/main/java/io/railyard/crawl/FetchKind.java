package io.railyard.crawl;

/** What a fetch is for: it decides how the answer is read ({@link Fetches#answer}). */
public enum FetchKind {
    /** a page: HTML is parsed for its links, anything else recorded */
    PAGE,
    /** an origin's robots.txt: its text comes back (RFC 9309) */
    ROBOTS,
    /** a sitemap (sitemaps.org): its URLs come back */
    SITEMAP;

    /** Decoded bytes kept at most for this kind of fetch, under the crawl's page cap. */
    public int maxBytes(FetchSettings s) {
        return switch (this) {
            case PAGE -> s.maxPageBytes();
            case ROBOTS -> FetchSettings.MAX_ROBOTS_BYTES;
            case SITEMAP -> Sitemaps.MAX_BYTES;
        };
    }
}
