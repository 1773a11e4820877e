package io.railyard.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated site: deterministic, fully reachable, and served exactly as its graph says. */
class SiteGraphTest {

    private static final Pattern HREF = Pattern.compile("(?i)<a [^>]*href=[\"']([^\"']*)[\"']");
    private static final Pattern BASE = Pattern.compile("<base href=\"([^\"]*)\">");

    @Test
    void theSameArgumentsGiveTheSameSiteAndAnotherSeedAnother() {
        assertEquals(SiteGraph.generate(500, 3).pages(), SiteGraph.generate(500, 3).pages());
        assertNotEquals(SiteGraph.generate(500, 3).pages(), SiteGraph.generate(500, 4).pages());
        assertArrayEquals(SitePages.render(SiteGraph.generate(50, 3).pages().get(7), "http://h:1"),
                SitePages.render(SiteGraph.generate(50, 3).pages().get(7), "http://h:1"));
    }

    @Test
    void everyPublicPageIsReachableFromTheRootWithoutDisallowedPages() {
        for (int pages : new int[] {1, 2, 9, 51, 1000, 5000}) {
            SiteGraph g = SiteGraph.generate(pages, 11);
            Map<String, Integer> polite = g.depths(true);
            assertEquals(pages, polite.size(), "pages reachable in a site of " + pages);
            for (SiteGraph.Page p : g.pages()) {
                assertEquals(!p.disallowed(), polite.containsKey(p.path()), p.path());
                assertEquals(p.disallowed(), p.path().startsWith(SiteGraph.PRIVATE_DIR), p.path());
            }
            assertEquals(g.pages().size(), g.depths(false).size(), "ignoring robots.txt reaches the private pages too");
        }
        int levels = SiteGraph.generate(5000, 1).levels();
        assertTrue(levels >= 3 && levels <= 6, "a 5,000-page site is a few levels deep, was " + levels);
    }

    @Test
    void everyHrefResolvesToItsTargetAgainstThePageOrItsBase() {
        SiteGraph g = SiteGraph.generate(2000, 5);
        String origin = "http://127.0.0.1:8080";
        Set<SiteGraph.Form> forms = EnumSet.noneOf(SiteGraph.Form.class);
        int withBase = 0, fragments = 0;
        for (SiteGraph.Page p : g.pages()) {
            URI base = URI.create(origin + (p.base() != null ? p.base() : p.path()));
            if (p.base() != null) withBase++;
            for (SiteGraph.Link l : p.links()) {
                URI resolved = base.resolve(l.href(origin));
                if (resolved.getFragment() != null) fragments++;
                String noFragment = resolved.toString().replaceAll("#.*$", "");
                assertEquals(origin + l.target(), noFragment, "href " + l.href(origin) + " on " + p.path());
                assertTrue(g.page(l.target()) != null, "link to a page that exists: " + l.target());
                forms.add(l.form());
            }
        }
        assertEquals(EnumSet.allOf(SiteGraph.Form.class), forms, "every href form is used");
        assertTrue(withBase > 100, "pages with <base>: " + withBase);
        assertTrue(fragments > 100, "links with a fragment: " + fragments);
    }

    @Test
    void relativeHrefsAreComputedFromTheFolder() {
        assertEquals("p17.html", SiteGraph.relative("/site/s0/", "/site/s0/p17.html"));
        assertEquals("../s3/p170.html", SiteGraph.relative("/site/s0/", "/site/s3/p170.html"));
        assertEquals("../", SiteGraph.relative("/site/s0/", "/site/"));
        assertEquals("./", SiteGraph.relative("/site/", "/site/"));
        assertEquals("s2/p120.html", SiteGraph.relative("/site/", "/site/s2/p120.html"));
        assertEquals("../private/q0.html", SiteGraph.relative("/site/s1/", "/site/private/q0.html"));
    }

    @Test
    void theServerServesExactlyTheGraphsLinks() throws IOException {
        try (LatencyServer s = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1).withSite(300, 9))) {
            SiteGraph g = s.site();
            assertEquals(SiteGraph.generate(300, 9).pages(), g.pages());
            Map<String, Set<String>> expected = g.linkSets(s.origin(), false);
            try (RawHttp c = new RawHttp(s.port())) {
                for (SiteGraph.Page p : g.pages()) {
                    RawHttp.Response r = c.request("GET", p.path());
                    assertEquals(200, r.status(), p.path());
                    String html = r.text();
                    List<String> hrefs = new ArrayList<>();
                    for (Matcher m = HREF.matcher(html); m.find(); ) hrefs.add(m.group(1));
                    List<String> want = p.links().stream().map(l -> l.href(s.origin())).toList();
                    assertEquals(want, hrefs, "hrefs of " + p.path());
                    Matcher base = BASE.matcher(html);
                    assertEquals(p.base() != null, base.find(), "<base> on " + p.path());
                    // resolve as a crawler would: against the page URL, or its <base>
                    URI against = URI.create(s.origin() + p.path());
                    if (p.base() != null) against = against.resolve(base.group(1));
                    Set<String> found = new LinkedHashSet<>();
                    for (String h : hrefs) found.add(against.resolve(h).toString().replaceAll("#.*$", ""));
                    assertEquals(expected.get(s.origin() + p.path()), found, "links of " + p.path());
                }
            }
        }
    }

    @Test
    void absoluteLinksFollowTheHostTheClientUsed() throws IOException {
        try (LatencyServer s = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1).withSite(100, 2));
             RawHttp c = new RawHttp(s.port())) {
            SiteGraph.Page page = s.site().pages().stream()
                    .filter(p -> p.links().stream().anyMatch(l -> l.form() == SiteGraph.Form.ABSOLUTE_URL)).findFirst().orElseThrow();
            c.send("GET " + page.path() + " HTTP/1.1\r\nHost: localhost:" + s.port() + "\r\n\r\n");
            String viaLocalhost = c.read(false).text();
            assertTrue(viaLocalhost.contains("\"http://localhost:" + s.port() + "/site/") || viaLocalhost.contains("'http://localhost:" + s.port() + "/site/"));
            assertFalse(viaLocalhost.contains("http://127.0.0.1"));
            c.send("GET " + page.path() + " HTTP/1.1\r\nHost: <script>\r\n\r\n");
            assertTrue(c.read(false).text().contains(s.origin() + "/site/"), "a strange Host header falls back to the server's origin");
        }
    }
}
