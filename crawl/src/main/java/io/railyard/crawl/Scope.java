package io.railyard.crawl;

import crawlercommons.domains.EffectiveTldFinder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Which linked URLs a crawl follows (links outside are still written, not fetched); a sitemap's
 * URLs are held to the same rules. The start URLs are always followed.
 * <ul>
 *   <li>{@code --same-host}: the start URLs' hosts (host and port);</li>
 *   <li>{@code --same-domain}: their registered domains by the Public Suffix List
 *       (crawler-commons' {@link EffectiveTldFinder}, with the list it ships), so
 *       {@code a.example.co.uk} and {@code b.example.co.uk} are one site and {@code other.co.uk}
 *       another; an unlisted top-level name counts as a public suffix (the list's default rule), and an
 *       IP address or a one-label name ({@code localhost}) is its own domain. Loading the list costs
 *       about 0.3 s of CPU, once, at the start of a crawl that asks for it;</li>
 *   <li>{@code --include REGEX} (any of them) and {@code --exclude REGEX} (none of them), found
 *       anywhere in the normalised URL.</li>
 * </ul>
 *
 * <p>Immutable after {@link #withSeeds}; thread-safe.
 */
public final class Scope {

    /** Where a URL falls. */
    public enum Verdict { IN, OFFSITE, EXCLUDED }

    /** Follow every link. */
    public static final Scope ALL = new Scope(false, false, List.of(), List.of(), Set.of(), Set.of());

    private final boolean sameHost;
    private final boolean sameDomain;
    private final List<Pattern> includes;
    private final List<Pattern> excludes;
    private final Set<String> seedAuthorities;
    private final Set<String> seedDomains;

    private Scope(boolean sameHost, boolean sameDomain, List<Pattern> includes, List<Pattern> excludes,
                  Set<String> seedAuthorities, Set<String> seedDomains) {
        this.sameHost = sameHost;
        this.sameDomain = sameDomain;
        this.includes = List.copyOf(includes);
        this.excludes = List.copyOf(excludes);
        this.seedAuthorities = Set.copyOf(seedAuthorities);
        this.seedDomains = Set.copyOf(seedDomains);
    }

    /**
     * A scope.
     *
     * @throws IllegalArgumentException naming a pattern that is not a regular expression
     */
    public static Scope of(boolean sameHost, boolean sameDomain, Collection<String> includes, Collection<String> excludes) {
        return new Scope(sameHost, sameDomain, compile(includes, "--include"), compile(excludes, "--exclude"), Set.of(), Set.of());
    }

    private static List<Pattern> compile(Collection<String> regexes, String what) {
        List<Pattern> out = new ArrayList<>();
        for (String r : regexes) {
            try {
                out.add(Pattern.compile(r));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(what + " '" + r + "' is not a regular expression (" + e.getDescription()
                        + " near index " + e.getIndex() + "): give a Java regex such as '/blog/'");
            }
        }
        return out;
    }

    /** This scope around these start URLs (normalised). */
    public Scope withSeeds(Collection<String> seeds) {
        Set<String> authorities = new HashSet<>(), domains = new HashSet<>();
        for (String s : seeds) {
            authorities.add(Urls.authority(s));
            if (sameDomain) domains.add(registeredDomain(Urls.host(s)));
        }
        return new Scope(sameHost, sameDomain, includes, excludes, authorities, domains);
    }

    public boolean sameHost() {
        return sameHost;
    }

    public boolean sameDomain() {
        return sameDomain;
    }

    /** Whether this scope limits anything. */
    public boolean limits() {
        return sameHost || sameDomain || !includes.isEmpty() || !excludes.isEmpty();
    }

    /**
     * Where a normalised URL falls.
     *
     * @param seed a start URL: always in
     */
    public Verdict verdict(String url, boolean seed) {
        if (seed) return Verdict.IN;
        if (sameHost && !seedAuthorities.contains(Urls.authority(url))) return Verdict.OFFSITE;
        if (sameDomain && !seedDomains.contains(registeredDomain(Urls.host(url)))) return Verdict.OFFSITE;
        if (!includes.isEmpty() && !anyFinds(includes, url)) return Verdict.EXCLUDED;
        if (!excludes.isEmpty() && anyFinds(excludes, url)) return Verdict.EXCLUDED;
        return Verdict.IN;
    }

    private static boolean anyFinds(List<Pattern> patterns, String url) {
        for (Pattern p : patterns) if (p.matcher(url).find()) return true;
        return false;
    }

    /** Whether a sitemap at {@code url} may be fetched: on a start URL's host or domain when those rules hold. */
    public boolean allowsSitemapAt(String url) {
        return verdict(url, false) != Verdict.OFFSITE;
    }

    /**
     * The registered domain of a host by the Public Suffix List: the public suffix and one label
     * more ({@code www.example.co.uk} is {@code example.co.uk}); an IP address, or a host that is a
     * public suffix or has none, is itself.
     */
    public static String registeredDomain(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") || h.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')) return h; // an IP literal
        return DOMAINS.computeIfAbsent(h, x -> {
            // the Public Suffix List's default rule: an unlisted top-level name (.test, .internal) is a public suffix too
            String d = EffectiveTldFinder.getAssignedDomain(x, false, false);
            return d == null || d.isEmpty() ? x : d;
        });
    }

    /** Hosts are few and links many: each host's look-up (~20 us) is done once. */
    private static final java.util.concurrent.ConcurrentHashMap<String, String> DOMAINS = new java.util.concurrent.ConcurrentHashMap<>();
}
