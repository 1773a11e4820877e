package io.railyard.server;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The link graph of the latency server's generated website: which pages exist under
 * {@code /site/}, and which links each page carries, exactly as written in its HTML. It is a pure
 * function of (pages, seed), so a crawler test can compare what it found with {@link #linkSets}.
 *
 * <h2>Shape</h2>
 * <pre>
 *   /site/                          page 0, the root
 *   /site/s{k}/p{i}.html            public page i (1..P-1), section k = (i-1)/50
 *   /site/private/q{k}.html         max(1, P/100) pages that robots.txt disallows
 * </pre>
 * Every public page i &gt; 0 is linked from its tree parent (i-1)/8, so all are reachable from the
 * root by public links; each page also links to a few random pages, its parent and the root, and
 * every tenth page (the root among them) links to a private page. Links are written in every form a crawler must resolve:
 * relative ({@code p17.html}, {@code ../s3/p170.html}), dot-relative ({@code ./p18.html}),
 * root-relative ({@code /site/s3/p170.html}), absolute ({@code http://host:port/site/...}),
 * network-path ({@code //host:port/site/...}), some with a {@code #fragment}. Pages whose id
 * is 5 mod 7 carry a {@code <base href>} pointing at another section, and their relative links
 * are written relative to that base. The same target may be linked twice in different forms.
 *
 * <p>Immutable and thread-safe.
 */
public final class SiteGraph {

    /** The root page's path; the site lives under it. */
    public static final String ROOT = "/site/";
    /** The folder robots.txt disallows. */
    public static final String PRIVATE_DIR = "/site/private/";

    static final int SECTION_SIZE = 50;
    static final int FANOUT = 8;
    static final int RANDOM_LINKS = 4;

    /** How an href is written; see {@link Link#href(String)}. */
    public enum Form { RELATIVE, DOT_RELATIVE, ROOT_PATH, ABSOLUTE_URL, NETWORK_PATH }

    /**
     * One {@code <a href>} of a page.
     *
     * @param target   the path the href resolves to, without the fragment
     * @param form     how the href is written
     * @param written  the href without the origin ({@link Form#ABSOLUTE_URL} and
     *                 {@link Form#NETWORK_PATH} put the origin in front of it)
     */
    public record Link(String target, Form form, String written) {
        /** The href as it appears in the page served at {@code origin} ({@code http://host:port}). */
        public String href(String origin) {
            return switch (form) {
                case ABSOLUTE_URL -> origin + written;
                case NETWORK_PATH -> origin.substring(origin.indexOf("//")) + written;
                default -> written;
            };
        }
    }

    /**
     * One page.
     *
     * @param id         0 is the root; public pages are 0..P-1, private pages follow
     * @param path       where the server serves it
     * @param disallowed whether robots.txt disallows it
     * @param base       the page's {@code <base href>}, or null
     * @param links      its links in document order
     */
    public record Page(int id, String path, boolean disallowed, String base, List<Link> links) {}

    private final int publicPages;
    private final long seed;
    private final List<Page> pages;
    private final Map<String, Page> byPath;

    private SiteGraph(int publicPages, long seed, List<Page> pages) {
        this.publicPages = publicPages;
        this.seed = seed;
        this.pages = List.copyOf(pages);
        Map<String, Page> map = new HashMap<>();
        for (Page p : pages) map.put(p.path(), p);
        this.byPath = Collections.unmodifiableMap(map);
    }

    /** The site of {@code pages} public pages; the same arguments always give the same site. */
    public static SiteGraph generate(int pages, long seed) {
        if (pages < 1) throw new IllegalArgumentException("pages must be >= 1, was " + pages);
        int privatePages = Math.max(1, pages / 100);
        int sections = (pages - 2) / SECTION_SIZE + 1;
        SplittableRandom random = new SplittableRandom(seed);
        List<Page> all = new ArrayList<>(pages + privatePages);
        for (int i = 0; i < pages; i++) {
            String path = publicPath(i);
            String base = null;
            if (i % 7 == 5) base = ROOT + "s" + ((section(i) + 1) % sections) + "/";
            String dir = base != null ? base : directory(path);
            List<String> targets = new ArrayList<>();
            for (long c = (long) i * FANOUT + 1; c <= (long) i * FANOUT + FANOUT && c < pages; c++) targets.add(publicPath((int) c));
            for (int r = 0; r < RANDOM_LINKS; r++) targets.add(publicPath(random.nextInt(pages)));
            if (i > 0) {
                targets.add(publicPath((i - 1) / FANOUT));
                targets.add(ROOT);
            }
            if (i % 10 == 0) targets.add(privatePath((i / 10) % privatePages));
            all.add(new Page(i, path, false, base, links(targets, dir, random)));
        }
        for (int k = 0; k < privatePages; k++) {
            String path = privatePath(k);
            List<String> targets = List.of(ROOT, publicPath(random.nextInt(pages)), privatePath((k + 1) % privatePages));
            all.add(new Page(pages + k, path, true, null, links(targets, directory(path), random)));
        }
        return new SiteGraph(pages, seed, all);
    }

    private static List<Link> links(List<String> targets, String dir, SplittableRandom random) {
        List<Link> links = new ArrayList<>(targets.size());
        for (String target : targets) {
            int roll = random.nextInt(100);
            Form form = roll < 45 ? Form.RELATIVE : roll < 55 ? Form.DOT_RELATIVE : roll < 80 ? Form.ROOT_PATH
                    : roll < 95 ? Form.ABSOLUTE_URL : Form.NETWORK_PATH;
            String written = switch (form) {
                case RELATIVE -> relative(dir, target);
                case DOT_RELATIVE -> {
                    String rel = relative(dir, target);
                    yield rel.startsWith("../") || rel.startsWith("./") ? rel : "./" + rel;
                }
                default -> target;
            };
            if (random.nextInt(10) == 0) written += "#s" + random.nextInt(4);
            links.add(new Link(target, form, written));
        }
        return links;
    }

    /** The relative href that, resolved against a document in folder {@code dir}, gives {@code target}. */
    static String relative(String dir, String target) {
        String[] from = dir.substring(1).split("/");
        int targetDirEnd = target.lastIndexOf('/');
        String[] to = target.substring(1, targetDirEnd).split("/");
        String file = target.substring(targetDirEnd + 1);
        int common = 0;
        while (common < from.length && common < to.length && from[common].equals(to[common])) common++;
        StringBuilder sb = new StringBuilder();
        for (int i = common; i < from.length; i++) sb.append("../");
        for (int i = common; i < to.length; i++) sb.append(to[i]).append('/');
        sb.append(file);
        return sb.isEmpty() ? "./" : sb.toString();
    }

    static String publicPath(int id) {
        return id == 0 ? ROOT : ROOT + "s" + section(id) + "/p" + id + ".html";
    }

    static String privatePath(int k) {
        return PRIVATE_DIR + "q" + k + ".html";
    }

    private static int section(int id) {
        return id == 0 ? 0 : (id - 1) / SECTION_SIZE;
    }

    private static String directory(String path) {
        return path.substring(0, path.lastIndexOf('/') + 1);
    }

    /** Public pages (P). */
    public int publicPages() {
        return publicPages;
    }

    public long seed() {
        return seed;
    }

    /** Every page, public ones first (index = id). */
    public List<Page> pages() {
        return pages;
    }

    /** The page served at {@code path}, or null. */
    public Page page(String path) {
        return byPath.get(path);
    }

    /** The robots.txt the server serves at its root. */
    public String robotsTxt() {
        return "User-agent: *\nDisallow: " + PRIVATE_DIR + "\n";
    }

    /**
     * Breadth-first distance of every page reachable from the root, in link hops (root = 0).
     * With {@code respectRobots}, disallowed pages are neither counted nor followed.
     */
    public Map<String, Integer> depths(boolean respectRobots) {
        Map<String, Integer> depth = new LinkedHashMap<>();
        ArrayDeque<Page> queue = new ArrayDeque<>();
        depth.put(ROOT, 0);
        queue.add(pages.get(0));
        while (!queue.isEmpty()) {
            Page p = queue.poll();
            for (Link l : p.links()) {
                Page t = byPath.get(l.target());
                if (t == null || (respectRobots && t.disallowed()) || depth.containsKey(t.path())) continue;
                depth.put(t.path(), depth.get(p.path()) + 1);
                queue.add(t);
            }
        }
        return depth;
    }

    /** Breadth-first levels of the crawl from the root that respects robots.txt (root alone = 1). */
    public int levels() {
        return depths(true).values().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
    }

    /**
     * Each page's absolute URL mapped to the set of absolute URLs its links resolve to, fragments
     * removed: what a crawler of the site served at {@code origin} should write as
     * {@code source<TAB>link} lines. With {@code respectRobots}, only pages a polite crawler fetches
     * are sources (their links to disallowed pages still count: the crawler saw them).
     */
    public Map<String, Set<String>> linkSets(String origin, boolean respectRobots) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        for (String path : depths(respectRobots).keySet()) {
            Set<String> targets = new LinkedHashSet<>();
            for (Link l : byPath.get(path).links()) targets.add(origin + l.target());
            out.put(origin + path, Collections.unmodifiableSet(targets));
        }
        return Collections.unmodifiableMap(out);
    }
}
