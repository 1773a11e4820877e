package io.railyard.crawl;

import io.railyard.core.TaskFuture;
import io.railyard.core.TaskTimeoutException;
import io.railyard.core.processes.WorkerDiedException;
import io.railyard.loop.ProxyRefusedException;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.select.NodeTraversor;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * What every fetch task does once the bytes are in, whichever client fetched them: turn an HTTP
 * answer or an exception into a {@link Fetched}, and pull the links out of an HTML page with
 * jsoup. Kept apart from the clients so the blocking and the non-blocking fetch classify alike.
 *
 * <p>Stateless; thread-safe.
 */
public final class Fetches {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");

    private Fetches() {}

    /** Wire bytes a client reads at most for this kind of fetch: compressed bodies are smaller than decoded ones. */
    static int wireLimit(FetchKind kind, FetchSettings settings) {
        return kind.maxBytes(settings);
    }

    /**
     * Classifies an answer to a fetch of {@code kind}: decodes the body ({@link ContentDecoding}),
     * and reads it as a page, a robots.txt or a sitemap.
     *
     * @param url the URL that was fetched (normalised): redirects and links resolve against it
     */
    static Fetched answer(String url, FetchKind kind, FetchSettings settings, HttpAnswer a) {
        int status = a.status();
        long ms = a.fetchNanos() / 1_000_000;
        if (status >= 300 && status < 400 && status != 304) {
            String target = a.location() == null ? null : Urls.resolve(url, a.location());
            if (target == null)
                return new Fetched.Failed(Fetched.Failure.BAD_REDIRECT, status, "HTTP " + status + " with Location '" + a.location() + "'", false, 0);
            return new Fetched.Redirect(status, target, ms);
        }
        if (status == 429 || status >= 500)
            return new Fetched.Failed(Fetched.Failure.HTTP, status, "HTTP " + status, true, retryAfterMillis(a.retryAfter()));
        if (kind == FetchKind.ROBOTS && status >= 400) return new Fetched.Robots(status, RobotsTxt.ALLOW_ALL); // no robots.txt: everything is allowed (RFC 9309 2.3.1.3)
        if (status < 200 || status >= 300)
            return new Fetched.Failed(Fetched.Failure.HTTP, status, "HTTP " + status + (kind == FetchKind.PAGE ? "" : " for " + kind.name().toLowerCase(java.util.Locale.ROOT)), false, 0);
        String type = a.contentType();
        if (kind == FetchKind.PAGE && type != null && !type.isBlank() && !isHtmlType(type)) // not read: no need to decode it
            return new Fetched.NotHtml(status, type, new Fetched.Transfer(type, a.contentEncoding(), a.body().length, 0, ms));
        ContentDecoding.Decoded d;
        try {
            d = ContentDecoding.decode(a.body(), a.wireCut(), a.contentEncoding(), kind.maxBytes(settings));
        } catch (ContentDecoding.DecodingException e) {
            return new Fetched.Failed(e.unknownCoding() ? Fetched.Failure.CONTENT_ENCODING : Fetched.Failure.DECODING, status, e.getMessage(), false, 0);
        }
        Fetched.Transfer transfer = new Fetched.Transfer(type, a.contentEncoding(), a.body().length, d.body().length, ms);
        return switch (kind) {
            case ROBOTS -> new Fetched.Robots(status, RobotsTxt.parse(d.body(), d.truncated(), url, settings.productToken()));
            case SITEMAP -> Sitemaps.read(url, status, type, d, transfer);
            case PAGE -> {
                if (!isHtml(type, d.body())) yield new Fetched.NotHtml(status, type == null ? "" : type, transfer);
                Parsed p = parse(d.body(), type, url, settings.productToken());
                yield new Fetched.Page(status, p.links, p.rels, d.truncated(), p.title, p.canonical,
                        RobotsDirectives.combine(p.metaRobots, a.xRobotsTags(), settings.productToken()), transfer);
            }
        };
    }

    /**
     * Loads and initialises the parsers' classes by parsing a small page and a small robots.txt, once
     * per JVM: a crawler calls it before its first fetch, so that the first robots.txt and the first
     * page do not wait for the quarter second that loading jsoup and crawler-commons takes cold.
     * Returns at once when that is done, and waits while another thread is doing it
     * ({@link #warmUpInBackground}).
     */
    public static void warmUp() {
        WarmUp.done();
    }

    /**
     * Starts {@link #warmUp} on a daemon thread of its own (the first call in a JVM; later calls do
     * nothing) and returns at once. A crawl about to start calls it first, so that on a machine with a
     * core to spare the parsers load while the command line is built and the pool opens, rather than
     * after them.
     */
    public static void warmUpInBackground() {
        if (WARMING.compareAndSet(false, true)) Thread.ofPlatform().name("railyard-crawl-warm-up").daemon().start(Fetches::warmUp);
    }

    private static final AtomicBoolean WARMING = new AtomicBoolean();

    /** Its initialisation is the warm-up: the JVM runs it once, and other threads asking wait for it. */
    private static final class WarmUp {
        static {
            links("<!doctype html><html><head><base href='/b/'><title>t</title><meta name='robots' content='all'></head><body><a href='x#y' rel='next'>x</a></body></html>"
                    .getBytes(StandardCharsets.UTF_8), "text/html; charset=utf-8", "http://warm.up/");
            // and the robots.txt parser (crawler-commons, ~40 ms cold): every origin's first pages wait for its robots.txt
            RobotsTxt.parse("User-agent: *\nDisallow: /private/\nAllow: /private/open$\n", "railyard").allows("/private/x");
        }

        static void done() {}
    }

    /** An exception of a fetch (the client's, or the pool's timeout) as a failure. */
    public static Fetched.Failed failure(Throwable t) {
        Throwable e = TaskFuture.unwrap(t);
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (e instanceof ProxyRefusedException p) return new Fetched.Failed(Fetched.Failure.PROXY, p.status(), message, false, 0);
        if (e instanceof UnknownHostException) return new Fetched.Failed(Fetched.Failure.UNKNOWN_HOST, message, false);
        if (e instanceof ConnectException || e instanceof NoRouteToHostException) return new Fetched.Failed(Fetched.Failure.CONNECT, message, true);
        if (e instanceof SocketTimeoutException || e instanceof TimeoutException || e instanceof TaskTimeoutException)
            return new Fetched.Failed(Fetched.Failure.TIMEOUT, message, true);
        if (e instanceof SSLException) return new Fetched.Failed(Fetched.Failure.TLS, message, false);
        if (e instanceof IOException) {
            if (message.contains("malformed HTTP response")) return new Fetched.Failed(Fetched.Failure.PROTOCOL, message, false);
            if (message.startsWith("Unable to tunnel through proxy")) return new Fetched.Failed(Fetched.Failure.PROXY, proxyStatus(message), message, false, 0);
            return new Fetched.Failed(Fetched.Failure.IO, message, true);
        }
        if (e instanceof WorkerDiedException) return new Fetched.Failed(Fetched.Failure.WORKER_DIED, message, true);
        return new Fetched.Failed(Fetched.Failure.INTERNAL, e.getClass().getName() + ": " + message, false);
    }

    /** The status in the JDK's "Unable to tunnel through proxy. Proxy returns "HTTP/1.1 407 ..."", or 0. */
    private static int proxyStatus(String message) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("HTTP/\\d(?:\\.\\d)? (\\d{3})").matcher(message);
        return m.find() ? Integer.parseInt(m.group(1)) : 0;
    }

    /** What the crawler takes from an HTML page. */
    record Parsed(List<String> links, List<String> rels, String title, String canonical, List<String> metaRobots) {}

    /**
     * The links of an HTML page: every {@code <a href>} and {@code <area href>}, resolved against the
     * page's first {@code <base href>} (itself resolved against the page URL) or the page URL,
     * normalised, non-http(s) ones ({@code mailto:}, {@code javascript:}...) dropped, each once.
     *
     * @param pageUrl the page's normalised URL
     */
    public static List<String> links(byte[] html, String contentType, String pageUrl) {
        return parse(html, contentType, pageUrl, "railyard").links();
    }

    /**
     * Parses an HTML page (decoded as {@link HtmlCharset} says): its links as {@link #links} finds
     * them with each one's {@code rel}, its title, its canonical URL, and the content of its robots
     * meta tags ({@code name="robots"} or the crawler's product token).
     */
    static Parsed parse(byte[] html, String contentType, String pageUrl, String productToken) {
        Document doc = Jsoup.parse(HtmlCharset.decode(html, contentType), pageUrl);
        // one walk over the elements; hrefs are resolved after it, as a <base> applies to links before it too
        List<String> hrefs = new ArrayList<>();
        List<String> hrefRels = new ArrayList<>();
        List<String> metaRobots = new ArrayList<>(1);
        String[] found = {null, null, null}; // base href, canonical href, title
        NodeTraversor.traverse((node, depth) -> {
            if (node instanceof Element el) {
                switch (el.normalName()) {
                    case "a", "area" -> {
                        if (el.hasAttr("href")) {
                            hrefs.add(el.attr("href"));
                            hrefRels.add(el.hasAttr("rel") ? el.attr("rel").strip().toLowerCase(Locale.ROOT) : "");
                        }
                    }
                    case "base" -> {
                        if (found[0] == null && el.hasAttr("href")) found[0] = el.attr("href");
                    }
                    case "link" -> {
                        if (found[1] == null && el.hasAttr("href") && hasToken(el.attr("rel"), "canonical")) found[1] = el.attr("href");
                    }
                    case "title" -> {
                        if (found[2] == null) found[2] = WHITESPACE.matcher(el.text()).replaceAll(" ").strip();
                    }
                    case "meta" -> {
                        String name = el.attr("name").strip();
                        if ((name.equalsIgnoreCase("robots") || name.equalsIgnoreCase(productToken)) && el.hasAttr("content"))
                            metaRobots.add(el.attr("content"));
                    }
                    default -> { }
                }
            }
        }, doc);
        String base = pageUrl;
        if (found[0] != null) {
            String b = Urls.resolveAgainst(pageUrl, found[0]);
            if (b != null) base = b;
        }
        LinkedHashMap<String, String> links = new LinkedHashMap<>();
        for (int i = 0; i < hrefs.size(); i++) {
            String link = Urls.resolveAgainst(base, hrefs.get(i));
            if (link != null) links.putIfAbsent(link, hrefRels.get(i));
        }
        String canonical = found[1] == null ? null : Urls.resolveAgainst(base, found[1]);
        return new Parsed(new ArrayList<>(links.keySet()), new ArrayList<>(links.values()), found[2] == null ? "" : found[2],
                canonical == null ? "" : canonical, metaRobots);
    }

    private static boolean hasToken(String rel, String token) {
        for (String r : WHITESPACE.split(rel)) if (r.equalsIgnoreCase(token)) return true;
        return false;
    }

    private static boolean isHtmlType(String contentType) {
        String t = contentType.toLowerCase(Locale.ROOT).strip();
        return t.startsWith("text/html") || t.startsWith("application/xhtml+xml");
    }

    static boolean isHtml(String contentType, byte[] body) {
        if (contentType != null && !contentType.isBlank()) return isHtmlType(contentType);
        // no Content-Type: sniff the start the way browsers do
        int n = Math.min(body.length, 512);
        String start = new String(body, 0, n, StandardCharsets.ISO_8859_1).stripLeading().toLowerCase(Locale.ROOT);
        return start.startsWith("<!doctype html") || start.startsWith("<html") || start.startsWith("<head") || start.startsWith("<body");
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
