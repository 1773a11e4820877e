package io.railyard.crawl;

import io.railyard.core.TaskFuture;
import io.railyard.core.TaskTimeoutException;
import io.railyard.core.processes.WorkerDiedException;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.NodeTraversor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * What every fetch task does once the bytes are in, whichever client fetched them: turn an HTTP
 * answer or an exception into a {@link Fetched}, and pull the links out of an HTML page with
 * jsoup. Kept apart from the clients so the blocking and the non-blocking fetch classify alike.
 *
 * <p>Stateless; thread-safe.
 */
public final class Fetches {

    private Fetches() {}

    /**
     * Classifies an answer to a page fetch ({@code robots} false) or a robots.txt fetch.
     *
     * @param url the URL that was fetched (normalised): redirects and links resolve against it
     */
    public static Fetched answer(String url, boolean robots, int status, String contentType, String location,
                                 String retryAfter, byte[] body, boolean truncated) {
        if (status >= 300 && status < 400 && status != 304) {
            String target = location == null ? null : Urls.resolve(url, location);
            if (target == null)
                return new Fetched.Failed("bad-redirect", "HTTP " + status + " with Location '" + location + "'", false, 0);
            return new Fetched.Redirect(status, target);
        }
        if (status == 429 || status >= 500)
            return new Fetched.Failed("http-" + status, "HTTP " + status, true, retryAfterMillis(retryAfter));
        if (robots) {
            if (status >= 200 && status < 300) return new Fetched.Text(status, new String(body, charset(contentType)));
            if (status >= 400) return new Fetched.Text(status, ""); // no robots.txt: everything is allowed (RFC 9309 2.3.1.3)
            return new Fetched.Failed("http-" + status, "HTTP " + status + " for robots.txt", false, 0);
        }
        if (status < 200 || status >= 300) return new Fetched.Failed("http-" + status, "HTTP " + status, false, 0);
        if (!isHtml(contentType, body)) return new Fetched.NotHtml(status, contentType == null ? "" : contentType);
        return new Fetched.Page(status, links(body, contentType, url), truncated);
    }

    /**
     * Loads and initialises the parser's classes by parsing a small page. A crawler calls it before
     * its first fetch, so that on {@code loop} the first page does not hold the event loop for the
     * quarter second that loading jsoup takes.
     */
    public static void warmUp() {
        links("<!doctype html><html><head><base href='/b/'></head><body><a href='x#y'>x</a></body></html>"
                .getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8", "http://warm.up/");
    }

    /** An exception of a fetch (the client's, or the pool's timeout) as a failure. */
    public static Fetched.Failed failure(Throwable t) {
        Throwable e = TaskFuture.unwrap(t);
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof UnknownHostException) return new Fetched.Failed("unknown-host", message, false, 0);
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) return new Fetched.Failed("connect", message, true, 0);
        if (e instanceof SocketTimeoutException || e instanceof TimeoutException || e instanceof TaskTimeoutException)
            return new Fetched.Failed("timeout", message, true, 0);
        if (e instanceof SSLException) return new Fetched.Failed("tls", message, false, 0);
        if (e instanceof IOException) {
            if (message.contains("malformed HTTP response")) return new Fetched.Failed("protocol", message, false, 0);
            return new Fetched.Failed("io", message, true, 0);
        }
        if (e instanceof WorkerDiedException) return new Fetched.Failed("worker-died", message, true, 0);
        return new Fetched.Failed("internal", e.getClass().getName() + ": " + message, false, 0);
    }

    /**
     * The links of an HTML page: every {@code <a href>} and {@code <area href>}, resolved against the
     * page's first {@code <base href>} (itself resolved against the page URL) or the page URL,
     * normalised, non-http(s) ones ({@code mailto:}, {@code javascript:}...) dropped, each once.
     *
     * @param pageUrl the page's normalised URL
     */
    public static List<String> links(byte[] html, String contentType, String pageUrl) {
        String charset = charsetName(contentType);
        Document doc;
        if (charset != null) {
            doc = Jsoup.parse(new String(html, Charset.forName(charset)), pageUrl);
        } else {
            try { // no charset in the header: jsoup reads the BOM or <meta charset>, else UTF-8
                doc = Jsoup.parse(new ByteArrayInputStream(html), null, pageUrl);
            } catch (IOException e) {
                throw new IllegalStateException("reading a byte array cannot fail", e);
            }
        }
        // one walk over the elements; hrefs are resolved after it, as a <base> applies to links before it too
        List<String> hrefs = new ArrayList<>();
        String[] baseHref = {null};
        NodeTraversor.traverse((node, depth) -> {
            if (node instanceof Element el) {
                String tag = el.normalName();
                if ((tag.equals("a") || tag.equals("area")) && el.hasAttr("href")) hrefs.add(el.attr("href"));
                else if (tag.equals("base") && baseHref[0] == null && el.hasAttr("href")) baseHref[0] = el.attr("href");
            }
        }, doc);
        String base = pageUrl;
        if (baseHref[0] != null) {
            String b = Urls.resolveAgainst(pageUrl, baseHref[0]);
            if (b != null) base = b;
        }
        LinkedHashSet<String> links = new LinkedHashSet<>();
        for (String href : hrefs) {
            String link = Urls.resolveAgainst(base, href);
            if (link != null) links.add(link);
        }
        return new ArrayList<>(links);
    }

    static boolean isHtml(String contentType, byte[] body) {
        if (contentType != null && !contentType.isBlank()) {
            String t = contentType.toLowerCase(Locale.ROOT).strip();
            return t.startsWith("text/html") || t.startsWith("application/xhtml+xml");
        }
        // no Content-Type: sniff the start the way browsers do
        int n = Math.min(body.length, 512);
        String start = new String(body, 0, n, StandardCharsets.ISO_8859_1).stripLeading().toLowerCase(Locale.ROOT);
        return start.startsWith("<!doctype html") || start.startsWith("<html") || start.startsWith("<head") || start.startsWith("<body");
    }

    private static String charsetName(String contentType) {
        if (contentType == null) return null;
        int i = contentType.toLowerCase(Locale.ROOT).indexOf("charset=");
        if (i < 0) return null;
        String name = contentType.substring(i + 8).split(";")[0].strip().replace("\"", "").replace("'", "");
        try {
            return Charset.isSupported(name) ? name : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Charset charset(String contentType) {
        String name = charsetName(contentType);
        return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
    }

    /** Retry-After in delay-seconds or as an HTTP-date; 0 when absent or unreadable. */
    static long retryAfterMillis(String value) {
        if (value == null || value.isBlank()) return 0;
        String v = value.strip();
        try {
            long s = Long.parseLong(v);
            return s <= 0 ? 0 : Math.min(s, 86_400) * 1000;
        } catch (NumberFormatException notSeconds) {
            try {
                long ms = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)).toMillis();
                return Math.max(0, Math.min(ms, 86_400_000));
            } catch (RuntimeException notADate) {
                return 0;
            }
        }
    }

    /** A message fit for one field of a record line: no tabs or line breaks, at most 300 characters. */
    static String oneLine(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 300));
        for (int i = 0; i < s.length() && sb.length() < 300; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? ' ' : c);
        }
        return sb.toString().strip();
    }
}
