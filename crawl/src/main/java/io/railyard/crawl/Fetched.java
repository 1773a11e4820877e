package io.railyard.crawl;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * What one fetch found: the answer of a fetch task to the crawler. A task never throws for what a
 * server or the network does; it classifies it here, and the crawler decides (record it, follow the
 * redirect, retry later). Records so that a worker process sends them back as plain data.
 */
public sealed interface Fetched extends Serializable {

    /**
     * How the body came: what the crawler reports per URL (jsonl) and counts.
     *
     * @param contentType     the Content-Type header, or ""
     * @param contentEncoding the Content-Encoding header as sent ({@code gzip}, {@code br}...), or ""
     * @param wireBytes       body bytes received (before content decoding)
     * @param decodedBytes    body bytes after content decoding (at most the page cap)
     * @param fetchMillis     from the request's start to the whole body received
     */
    record Transfer(String contentType, String contentEncoding, long wireBytes, long decodedBytes, long fetchMillis)
            implements Serializable {
        public Transfer {
            contentType = contentType == null ? "" : contentType;
            contentEncoding = contentEncoding == null ? "" : contentEncoding;
        }

        static final Transfer NONE = new Transfer("", "", 0, 0, 0);
    }

    /**
     * An HTML page and what the crawler takes from it.
     *
     * @param links     the page's links, resolved and normalised, each once, in document order
     * @param rels      for each link, its {@code rel} attribute (lower case, "" when none): the
     *                  first one's, when a link appears several times
     * @param truncated the decoded body was longer than the page cap and was cut there
     * @param title     the {@code <title>}, or ""
     * @param canonical the {@code <link rel="canonical">} resolved and normalised, or ""
     * @param robots    the robots directives of the page's {@code <meta name="robots">} (or the
     *                  crawler's own name) and of its {@code X-Robots-Tag} headers, lower case,
     *                  comma-separated, or ""
     */
    record Page(int status, List<String> links, List<String> rels, boolean truncated, String title, String canonical,
                String robots, Transfer transfer) implements Fetched {
        public Page {
            links = List.copyOf(links);
            rels = List.copyOf(rels);
            if (rels.size() != links.size()) throw new IllegalArgumentException(rels.size() + " rels for " + links.size() + " links");
        }

        /** A page with links only (no rels, title, robots). */
        public Page(int status, List<String> links, boolean truncated) {
            this(status, links, links.stream().map(l -> "").toList(), truncated, "", "", "", Transfer.NONE);
        }

        /** Its robots directives say {@code noindex} (or {@code none}). */
        public boolean noindex() {
            return RobotsDirectives.has(robots, "noindex");
        }

        /** Its robots directives say {@code nofollow} (or {@code none}): its links are written, not followed. */
        public boolean nofollow() {
            return RobotsDirectives.has(robots, "nofollow");
        }
    }

    /** A 2xx answer that is not HTML (an image, a PDF...): recorded, not parsed. */
    record NotHtml(int status, String contentType, Transfer transfer) implements Fetched {
        public NotHtml(int status, String contentType) {
            this(status, contentType, Transfer.NONE);
        }
    }

    /** A 3xx answer with a usable Location, resolved and normalised. */
    record Redirect(int status, String location, long fetchMillis) implements Fetched {
        public Redirect(int status, String location) {
            this(status, location, 0);
        }
    }

    /** A robots.txt, parsed where it was fetched ({@link RobotsTxt#ALLOW_ALL} when the site has none: a 4xx). */
    record Robots(int status, RobotsTxt rules) implements Fetched {}

    /**
     * A sitemap file, read (sitemaps.org protocol): either a {@code urlset} (or a text sitemap)
     * whose URLs are pages, or a {@code sitemapindex} whose URLs are more sitemaps.
     *
     * @param urls    its URLs, normalised, each once, at most {@link Sitemaps#MAX_URLS}
     * @param dropped URLs past that limit, not taken
     */
    record Sitemap(int status, boolean index, List<String> urls, int dropped, Transfer transfer) implements Fetched {
        public Sitemap {
            urls = List.copyOf(urls);
        }
    }

    /** Why a fetch failed. {@link #HTTP} carries the status in {@link Failed#status()}. */
    enum Failure {
        /** an HTTP status the crawler does not take: 4xx, 5xx (and 429), 1xx */
        HTTP,
        CONNECT, TIMEOUT, UNKNOWN_HOST, TLS,
        /** the proxy refused the request (CONNECT not answered with 2xx, 407) or could not be reached */
        PROXY,
        /** the response could not be read as HTTP */
        PROTOCOL,
        /** a Content-Encoding the crawler does not decode */
        CONTENT_ENCODING,
        /** a body that does not decode as its Content-Encoding says (corrupt gzip, brotli...) */
        DECODING,
        /** a sitemap that is not one (malformed XML, an unknown format) */
        SITEMAP,
        BAD_REDIRECT, TOO_MANY_REDIRECTS, IO, WORKER_DIED, INTERNAL;

        /** The name in the output and the summary: {@code unknown-host}, {@code content-encoding}... */
        public String label() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * A fetch that failed.
     *
     * @param failure      why
     * @param status       the HTTP status when a server answered ({@link Failure#HTTP}; a body that
     *                     did not decode; a refusing proxy's), else 0
     * @param retryable    whether trying again later may succeed (429, 5xx, connection errors, timeouts)
     * @param retryAfterMs what the server asked for in Retry-After, or 0
     */
    record Failed(Failure failure, int status, String detail, boolean retryable, long retryAfterMs) implements Fetched {
        public Failed {
            detail = Fetches.oneLine(detail);
        }

        public Failed(Failure failure, String detail, boolean retryable) {
            this(failure, 0, detail, retryable, 0);
        }

        /** Short name counted in the summary and written in the output: {@code connect}, {@code http-503}... */
        public String kind() {
            return failure == Failure.HTTP ? "http-" + status : failure.label();
        }
    }

    /** The HTTP status the server (or a refusing proxy) answered with, or 0 when none did (a connection error, a timeout). */
    default int httpStatus() {
        return switch (this) {
            case Page p -> p.status();
            case NotHtml n -> n.status();
            case Redirect r -> r.status();
            case Robots t -> t.status();
            case Sitemap s -> s.status();
            case Failed f -> f.status();
        };
    }
}
