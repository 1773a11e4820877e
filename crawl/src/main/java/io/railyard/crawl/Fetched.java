package io.railyard.crawl;

import java.io.Serializable;
import java.util.List;

/**
 * What one fetch found: the answer of a fetch task to the crawler. A task never throws for what a
 * server or the network does; it classifies it here, and the crawler decides (record it, follow the
 * redirect, retry later). Records so that a worker process sends them back as plain data.
 */
public sealed interface Fetched extends Serializable {

    /** An HTML page and the links in it, resolved and normalised, each once, in document order. */
    record Page(int status, List<String> links, boolean truncated) implements Fetched {
        public Page {
            links = List.copyOf(links);
        }
    }

    /** A 2xx answer that is not HTML (an image, a PDF...): recorded, not parsed. */
    record NotHtml(int status, String contentType) implements Fetched {}

    /** A 3xx answer with a usable Location, resolved and normalised. */
    record Redirect(int status, String location) implements Fetched {}

    /** The text of a robots.txt (empty when the site has none: a 4xx). */
    record Text(int status, String text) implements Fetched {}

    /**
     * A fetch that failed.
     *
     * @param kind         short name counted in the summary: {@code connect}, {@code timeout},
     *                     {@code http-503}, {@code unknown-host}...
     * @param retryable    whether trying again later may succeed (429, 5xx, connection errors, timeouts)
     * @param retryAfterMs what the server asked for in Retry-After, or 0
     */
    record Failed(String kind, String detail, boolean retryable, long retryAfterMs) implements Fetched {
        public Failed {
            detail = Fetches.oneLine(detail);
        }
    }
}
