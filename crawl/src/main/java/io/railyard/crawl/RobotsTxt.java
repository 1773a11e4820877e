package io.railyard.crawl;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The rules of one site's {@code robots.txt} for one crawler, as RFC 9309 reads them: the group
 * whose {@code User-agent} names the crawler's product token (case-insensitive), else the
 * {@code *} group; within it the longest matching {@code Allow}/{@code Disallow} path wins, and
 * {@code Allow} wins a tie. Paths may use {@code *} (any characters) and a final {@code $} (end of
 * URL). {@code Crawl-delay}, which RFC 9309 does not define but many sites set, is read too.
 *
 * <p>Immutable and thread-safe.
 */
public final class RobotsTxt {

    /** Allows everything: what a missing robots.txt (404) means. */
    public static final RobotsTxt ALLOW_ALL = new RobotsTxt(List.of(), 0);

    private record Rule(boolean allow, String pattern) {}

    private final List<Rule> rules;
    private final long crawlDelayMs;

    private RobotsTxt(List<Rule> rules, long crawlDelayMs) {
        this.rules = rules;
        this.crawlDelayMs = crawlDelayMs;
    }

    /** The rules of {@code text} for the crawler whose product token is {@code agent} (e.g. {@code railyard}). */
    public static RobotsTxt parse(String text, String agent) {
        String token = agent.toLowerCase(Locale.ROOT);
        List<Rule> mine = new ArrayList<>(), star = new ArrayList<>();
        long myDelay = -1, starDelay = -1;
        boolean foundMine = false;
        // the user-agent lines of the group being read, and whether its rules have started
        List<String> agents = new ArrayList<>();
        boolean inRules = false;
        for (String raw : text.split("\r\n|\r|\n")) {
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            int colon = line.indexOf(':');
            if (colon <= 0) continue;
            String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            if (key.equals("user-agent")) {
                if (inRules) {
                    agents.clear();
                    inRules = false;
                }
                agents.add(value.toLowerCase(Locale.ROOT));
                continue;
            }
            boolean rule = key.equals("allow") || key.equals("disallow");
            if (!rule && !key.equals("crawl-delay")) continue; // sitemap and unknown keys
            inRules = true;
            boolean forMe = agents.contains(token);
            boolean forStar = agents.contains("*");
            if (forMe) foundMine = true;
            if (rule) {
                if (value.isEmpty()) continue; // "Disallow:" with no path allows everything
                Rule r = new Rule(key.equals("allow"), value);
                if (forMe) mine.add(r);
                if (forStar) star.add(r);
            } else {
                long ms = delayMillis(value);
                if (ms >= 0 && forMe) myDelay = ms;
                if (ms >= 0 && forStar) starDelay = ms;
            }
        }
        return foundMine ? new RobotsTxt(List.copyOf(mine), Math.max(0, myDelay)) : new RobotsTxt(List.copyOf(star), Math.max(0, starDelay));
    }

    private static long delayMillis(String v) {
        try {
            double s = Double.parseDouble(v);
            return s >= 0 && s < 86_400 ? (long) (s * 1000) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Whether the crawler may fetch {@code pathAndQuery} (the URL's path, with its query if any). */
    public boolean allows(String pathAndQuery) {
        int best = -1;
        boolean allow = true;
        for (Rule r : rules) {
            if (!matches(r.pattern, pathAndQuery)) continue;
            int length = r.pattern.length();
            if (length > best || (length == best && r.allow)) {
                best = length;
                allow = r.allow;
            }
        }
        return allow;
    }

    /** The site's Crawl-delay for this crawler, 0 if none. */
    public long crawlDelayMs() {
        return crawlDelayMs;
    }

    /** Rules that apply to this crawler (for tests and messages). */
    public int ruleCount() {
        return rules.size();
    }

    /** Pattern matching with {@code *} and a final {@code $}, by backtracking over the stars. */
    static boolean matches(String pattern, String path) {
        boolean anchored = pattern.endsWith("$");
        String p = anchored ? pattern.substring(0, pattern.length() - 1) : pattern;
        if (p.indexOf('*') < 0) return anchored ? path.equals(p) : path.startsWith(p);
        int pi = 0, si = 0, star = -1, mark = 0;
        while (si < path.length()) {
            if (pi < p.length() && p.charAt(pi) == '*') {
                star = pi++;
                mark = si;
            } else if (pi < p.length() && p.charAt(pi) == path.charAt(si)) {
                pi++;
                si++;
            } else if (pi == p.length() && !anchored) {
                return true; // the pattern is a prefix of what is left
            } else if (star >= 0) {
                pi = star + 1;
                si = ++mark;
            } else {
                return false;
            }
        }
        while (pi < p.length() && p.charAt(pi) == '*') pi++;
        return pi == p.length();
    }
}
