package io.railyard.crawl;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How every fetch of a crawl behaves: who it says it is, how long it waits, how much of a page it
 * reads, which proxy it goes through. Travels inside each task (to worker processes too), so it is
 * a small serializable record.
 *
 * @param productToken   the crawler's name in robots.txt groups and robots meta tags: the
 *                       User-Agent's first product token ({@code railyard} by default)
 * @param userAgent      the User-Agent header
 * @param connectTimeoutMs how long a connect may take
 * @param readTimeoutMs  the longest silence while a response is awaited
 * @param maxPageBytes   a longer (decoded) body is cut there and parsed as far as it goes
 * @param proxies        which proxy a fetch goes through
 */
public record FetchSettings(String productToken, String userAgent, int connectTimeoutMs, int readTimeoutMs,
                            int maxPageBytes, ProxySettings proxies) implements Serializable {

    /** robots.txt files longer than this are cut (RFC 9309 asks crawlers to read at least 500 KiB). */
    public static final int MAX_ROBOTS_BYTES = 512 * 1024;

    /** The {@code Accept} header of every fetch. */
    public static final String ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5";

    /** This crawler's version, from the build. */
    public static final String VERSION = version();

    /** {@code railyard/VERSION}: railyard and its real version. */
    public static final String DEFAULT_USER_AGENT = "railyard/" + VERSION;

    public FetchSettings {
        if (connectTimeoutMs < 1) throw new IllegalArgumentException("connect timeout must be at least 1 ms, was " + connectTimeoutMs);
        if (readTimeoutMs < 1) throw new IllegalArgumentException("read timeout must be at least 1 ms, was " + readTimeoutMs);
        if (maxPageBytes < 1) throw new IllegalArgumentException("page size cap must be at least 1 byte, was " + maxPageBytes);
        if (userAgent == null || userAgent.isBlank() || userAgent.chars().anyMatch(c -> c < 0x20 || c == 0x7f))
            throw new IllegalArgumentException("the User-Agent must be a non-empty line without control characters, was '" + userAgent + "'");
        if (proxies == null) proxies = ProxySettings.NONE;
    }

    /** railyard's name and version, 10 s to connect, 30 s of silence at most, pages cut at 4 MiB, no proxy. */
    public static FetchSettings defaults() {
        return new FetchSettings("railyard", DEFAULT_USER_AGENT, 10_000, 30_000, 4 << 20, ProxySettings.NONE);
    }

    public FetchSettings withTimeouts(int connectMs, int readMs) {
        return new FetchSettings(productToken, userAgent, connectMs, readMs, maxPageBytes, proxies);
    }

    public FetchSettings withMaxPageBytes(int max) {
        return new FetchSettings(productToken, userAgent, connectTimeoutMs, readTimeoutMs, max, proxies);
    }

    /** Another User-Agent; the product token (for robots.txt) is its first token, before a '/' or a space. */
    public FetchSettings withUserAgent(String ua) {
        return new FetchSettings(productToken(ua), ua, connectTimeoutMs, readTimeoutMs, maxPageBytes, proxies);
    }

    public FetchSettings withProxies(ProxySettings p) {
        return new FetchSettings(productToken, userAgent, connectTimeoutMs, readTimeoutMs, maxPageBytes, p);
    }

    /** The request headers every fetch sends, on every model (Host and the proxy's are the client's). */
    public Map<String, String> requestHeaders() {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("User-Agent", userAgent);
        h.put("Accept", ACCEPT);
        h.put("Accept-Encoding", ContentDecoding.ACCEPT_ENCODING);
        return h;
    }

    /** The product token of a User-Agent (RFC 9309 2.2.1: the name robots.txt groups are matched on). */
    public static String productToken(String userAgent) {
        String ua = userAgent == null ? "" : userAgent.strip();
        int end = 0;
        while (end < ua.length()) {
            char c = ua.charAt(end);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) break;
            end++;
        }
        return end == 0 ? "railyard" : ua.substring(0, end);
    }

    private static String version() {
        try (InputStream in = FetchSettings.class.getResourceAsStream("version")) {
            String v = in == null ? "" : new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
            return v.isBlank() || v.contains("${") ? "unknown" : v;
        } catch (IOException e) {
            return "unknown"; // the jar is damaged
        }
    }
}
