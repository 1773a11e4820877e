package io.railyard.crawl;

import crawlercommons.robots.BaseRobotRules;
import crawlercommons.robots.SimpleRobotRules;
import crawlercommons.robots.SimpleRobotRulesParser;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The rules of one site's {@code robots.txt} for one crawler, read to the letter of RFC 9309 by
 * crawler-commons' {@link SimpleRobotRulesParser}, the field's parser (Nutch, StormCrawler): the
 * group whose {@code User-agent} lines name the crawler's product token (case-insensitive; a group
 * may have several), else the {@code *} group; the longest matching {@code Allow}/{@code Disallow}
 * wins, {@code Allow} a tie; {@code *} and {@code $} in paths; a path and its percent-encoded form
 * are the same path ({@code Disallow: /%7Ejoe/} keeps out {@code /~joe/}). {@code Crawl-delay}
 * (not in the RFC, set by many sites) is read too, and so are the {@code Sitemap:} lines.
 *
 * <p>At most {@link FetchSettings#MAX_ROBOTS_BYTES} (512 KiB, over the RFC's 500 KiB) are read;
 * a longer file is cut at its last whole line within that.
 *
 * <p>Immutable and thread-safe; serializable, as a fetch task parses it where it fetched it (a worker
 * process, a loop helper thread), off the crawler's coordinator.
 */
public final class RobotsTxt implements Serializable {

    /** Allows everything: what a missing robots.txt (404) means. */
    public static final RobotsTxt ALLOW_ALL = new RobotsTxt(null, 0, List.of());

    /** null: allow all. */
    private final SimpleRobotRules rules;
    private final long crawlDelayMs;
    private final List<String> sitemaps;

    private RobotsTxt(SimpleRobotRules rules, long crawlDelayMs, List<String> sitemaps) {
        this.rules = rules;
        this.crawlDelayMs = crawlDelayMs;
        this.sitemaps = List.copyOf(sitemaps);
    }

    /** The rules of {@code text} for the crawler whose product token is {@code agent} (e.g. {@code railyard}). */
    public static RobotsTxt parse(String text, String agent) {
        return parse(text.getBytes(StandardCharsets.UTF_8), false, "http://robots.invalid/robots.txt", agent);
    }

    /**
     * The rules of a fetched robots.txt.
     *
     * @param truncated the body was cut at the size cap: its last, partial line is dropped
     * @param url       where it came from (relative {@code Sitemap:} URLs resolve against it)
     */
    static RobotsTxt parse(byte[] body, boolean truncated, String url, String agent) {
        byte[] content = body;
        if (truncated) {
            int end = content.length;
            while (end > 0 && content[end - 1] != '\n' && content[end - 1] != '\r') end--;
            content = Arrays.copyOf(content, end);
        }
        SimpleRobotRulesParser parser = new SimpleRobotRulesParser(Long.MAX_VALUE, 5); // the crawler caps the delay itself
        SimpleRobotRules r = parser.parseContent(url, content, "text/plain", List.of(agent.toLowerCase(java.util.Locale.ROOT)));
        long delay = r.getCrawlDelay() == BaseRobotRules.UNSET_CRAWL_DELAY ? 0 : Math.max(0, r.getCrawlDelay());
        List<String> sitemaps = r.getSitemaps().stream().map(s -> Urls.resolve(url, s)).filter(s -> s != null).distinct().toList();
        return new RobotsTxt(r.isAllowAll() && sitemaps.isEmpty() && delay == 0 ? null : r, delay, sitemaps);
    }

    /** Whether the crawler may fetch {@code pathAndQuery} (the URL's path, with its query if any). */
    public boolean allows(String pathAndQuery) {
        return rules == null || rules.isAllowAll() || rules.isAllowed("http://robots.invalid" + pathAndQuery);
    }

    /** The site's Crawl-delay for this crawler, 0 if none. */
    public long crawlDelayMs() {
        return crawlDelayMs;
    }

    /** The {@code Sitemap:} URLs, resolved and normalised, each once (whatever the group). */
    public List<String> sitemaps() {
        return sitemaps;
    }

    /** Rules that apply to this crawler (for tests and messages). */
    public int ruleCount() {
        return rules == null ? 0 : rules.getRobotRules().size();
    }
}
