package io.railyard.bench.crawl;

import io.railyard.crawl.CrawlOutput;
import io.railyard.server.SiteGraph;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a crawl output of the latency server's generated site against the site's own link graph
 * ({@link SiteGraph}): every page a polite crawler can reach was fetched exactly once, nothing else
 * was, and each page's links in the file are exactly the links the page carries. What
 * {@code railyard crawl --demo} prints at the end, and what the crawl tests assert.
 *
 * @param expectedPages pages the crawl should have fetched
 * @param foundPages    distinct pages with a {@code #page} record
 * @param missing       expected pages without one (the first few)
 * @param unexpected    pages recorded that the site graph does not expect (the first few)
 * @param duplicates    URLs with more than one record
 * @param wrongLinks    pages whose link set differs from the graph's (the first few)
 * @param otherRecords  skip, redirect and error records (none on a healthy site)
 * @param linkLines     link lines in the file
 */
public record SiteCheck(int expectedPages, int foundPages, List<String> missing, List<String> unexpected,
                        List<String> duplicates, List<String> wrongLinks, int otherRecords, long linkLines) {

    private static final int SHOW = 5;

    /** Reads {@code output} and compares it with the site served at {@code origin} ({@code http://host:port}). */
    public static SiteCheck of(Path output, SiteGraph site, String origin, boolean respectRobots) throws IOException {
        return of(output, site, origin, respectRobots, Integer.MAX_VALUE);
    }

    /** The same for a crawl limited to {@code maxDepth}: only pages within it are expected. */
    public static SiteCheck of(Path output, SiteGraph site, String origin, boolean respectRobots, int maxDepth) throws IOException {
        CrawlOutput.Contents contents = CrawlOutput.read(output);
        Map<String, Set<String>> expected = new HashMap<>(site.linkSets(origin, respectRobots));
        Map<String, Integer> depths = site.depths(respectRobots);
        expected.keySet().removeIf(page -> depths.get(page.substring(origin.length())) > maxDepth);
        Map<String, Set<String>> found = new HashMap<>();
        Set<String> seen = new HashSet<>();
        List<String> duplicates = new ArrayList<>();
        int other = 0;
        long linkLines = 0;
        for (CrawlOutput.Record r : contents.records()) {
            if (!seen.add(r.url())) duplicates.add(r.url());
            if (r instanceof CrawlOutput.Record.Page p) {
                found.put(p.url(), new HashSet<>(p.links()));
                linkLines += p.links().size();
            } else {
                other++;
            }
        }
        List<String> missing = new ArrayList<>(), unexpected = new ArrayList<>(), wrong = new ArrayList<>();
        for (String page : new TreeSet<>(expected.keySet())) {
            Set<String> links = found.get(page);
            if (links == null) missing.add(page);
            else if (!links.equals(expected.get(page))) wrong.add(page);
        }
        for (String page : new TreeSet<>(found.keySet())) if (!expected.containsKey(page)) unexpected.add(page);
        return new SiteCheck(expected.size(), found.size(), missing, unexpected, duplicates, wrong, other, linkLines);
    }

    /** The output is exactly the site's link graph. */
    public boolean ok() {
        return missing.isEmpty() && unexpected.isEmpty() && duplicates.isEmpty() && wrongLinks.isEmpty() && otherRecords == 0;
    }

    /** One line for the summary; names the first few problems. */
    public String describe() {
        if (ok()) return "all " + expectedPages + " reachable pages found, each once; " + linkLines + " link lines = the site's link graph";
        StringBuilder sb = new StringBuilder("MISMATCH: ").append(foundPages).append(" of ").append(expectedPages).append(" pages found");
        if (!missing.isEmpty()) sb.append("; ").append(missing.size()).append(" missing, e.g. ").append(first(missing));
        if (!unexpected.isEmpty()) sb.append("; ").append(unexpected.size()).append(" unexpected, e.g. ").append(first(unexpected));
        if (!duplicates.isEmpty()) sb.append("; ").append(duplicates.size()).append(" recorded twice, e.g. ").append(first(duplicates));
        if (!wrongLinks.isEmpty()) sb.append("; ").append(wrongLinks.size()).append(" with other links than the site's, e.g. ").append(first(wrongLinks));
        if (otherRecords > 0) sb.append("; ").append(otherRecords).append(" skip/redirect/error records");
        return sb.toString();
    }

    private static List<String> first(List<String> l) {
        return l.subList(0, Math.min(SHOW, l.size()));
    }

    /**
     * The physical limit of crawling the site breadth-first with {@code concurrency} fetches in
     * flight and {@code latencyMs} per page: level after level, each level of n pages taking
     * ceil(n / C) round trips. (A crawler that starts the next level's pages before the current one
     * finishes can beat it slightly; none can beat the deepest level's chain of round trips.)
     */
    public static double limitSeconds(SiteGraph site, int concurrency, int latencyMs) {
        return limitSeconds(site, concurrency, latencyMs, Integer.MAX_VALUE);
    }

    /** The same for a crawl limited to {@code maxDepth}: the levels up to it. */
    public static double limitSeconds(SiteGraph site, int concurrency, int latencyMs, int maxDepth) {
        int[] levels = levelSizes(site);
        double s = 0;
        for (int d = 0; d < levels.length && d <= maxDepth; d++) s += Math.ceil((double) levels[d] / concurrency) * latencyMs / 1000.0;
        return s;
    }

    /** Pages at each breadth-first level of the polite crawl from the root. */
    public static int[] levelSizes(SiteGraph site) {
        int[] levels = new int[site.levels()];
        for (int d : site.depths(true).values()) levels[d]++;
        return levels;
    }
}
