package io.railyard.crawl;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 9309 group choice, longest match, wildcards. */
class RobotsTxtTest {

    @Test
    void theGeneratedSitesRobotsDisallowsItsPrivateFolder() {
        RobotsTxt r = RobotsTxt.parse("User-agent: *\nDisallow: /site/private/\n", "railyard");
        assertFalse(r.allows("/site/private/q1.html"));
        assertTrue(r.allows("/site/s0/p1.html"));
        assertTrue(r.allows("/site/private"), "a prefix of the rule, not matched by it");
    }

    @Test
    void ourGroupWinsOverTheStarGroupAndNamesMatchWhole() {
        String txt = """
                # comment
                User-agent: *
                Disallow: /

                User-agent: RailYard
                User-agent: other
                Disallow: /private   # trailing comment
                Crawl-delay: 1.5

                User-agent: rail
                Disallow: /rail-only
                """;
        RobotsTxt r = RobotsTxt.parse(txt, "railyard");
        assertTrue(r.allows("/public"));
        assertFalse(r.allows("/private/x"));
        assertTrue(r.allows("/rail-only"), "'rail' is not our product token");
        assertEquals(1500, r.crawlDelayMs());
        RobotsTxt stranger = RobotsTxt.parse(txt, "somebot");
        assertFalse(stranger.allows("/public"));
        assertEquals(0, stranger.crawlDelayMs());
    }

    @Test
    void longestMatchWinsAndAllowWinsATie() {
        RobotsTxt r = RobotsTxt.parse("User-agent: *\nDisallow: /a\nAllow: /a/b\nDisallow: /a/b/c\nAllow: /x\nDisallow: /x\n", "railyard");
        assertFalse(r.allows("/a/z"));
        assertTrue(r.allows("/a/b/z"));
        assertFalse(r.allows("/a/b/c/d"));
        assertTrue(r.allows("/x/1"), "allow wins a tie");
    }

    @Test
    void wildcardsAndEndAnchors() {
        RobotsTxt r = RobotsTxt.parse("User-agent: *\nDisallow: /*.pdf$\nDisallow: /tmp*/cache\nDisallow: /exact$\n", "railyard");
        assertFalse(r.allows("/docs/a.pdf"));
        assertTrue(r.allows("/docs/a.pdf?x=1"));
        assertFalse(r.allows("/tmp123/cache/x"));
        assertTrue(r.allows("/tmp123/other"));
        assertFalse(r.allows("/exact"));
        assertTrue(r.allows("/exact/more"));
    }

    @Test
    void emptyDisallowAndGarbageAllowEverything() {
        assertTrue(RobotsTxt.parse("User-agent: *\nDisallow:\n", "railyard").allows("/x"));
        assertTrue(RobotsTxt.parse("<html>not a robots file</html>", "railyard").allows("/x"));
        assertTrue(RobotsTxt.ALLOW_ALL.allows("/anything"));
    }

    @Test
    void aPathAndItsPercentEncodedFormAreTheSamePath() { // RFC 9309 2.2.2
        RobotsTxt joe = RobotsTxt.parse("User-agent: *\nDisallow: /%7Ejoe/\n", "railyard");
        assertFalse(joe.allows("/~joe/secret.html"), "the URL's ~ against the rule's %7E");
        assertFalse(joe.allows("/%7Ejoe/secret.html"));
        RobotsTxt rfc = RobotsTxt.parse("User-agent: *\nDisallow: /foo/bar?baz=https://foo.bar\nDisallow: /foo/bar/\u30c4\nDisallow: /a/%E3%83%84\nDisallow: /b/%62%61%7A\n", "railyard");
        assertFalse(rfc.allows("/foo/bar?baz=https://foo.bar"));
        // the table's row with reserved characters encoded in the URL only (%3A%2F%2F against "://") is not
        // matched by crawler-commons, nor by Google's reference parser: documented in docs/crawl.md
        assertFalse(rfc.allows("/foo/bar/%E3%83%84"), "a UTF-8 rule against the percent-encoded URL");
        assertFalse(rfc.allows("/a/%E3%83%84"));
        assertFalse(rfc.allows("/b/baz"), "encoded unreserved characters are those characters");
        assertTrue(rfc.allows("/b/bar"));
    }

    @Test
    void aGroupMayNameSeveralAgentsAndTheTokenMatchesCaseInsensitively() {
        String txt = "User-agent: FooBot\nUser-agent: RAILYARD\nUser-agent: BarBot\nDisallow: /mine\n\nUser-agent: *\nDisallow: /\n";
        RobotsTxt r = RobotsTxt.parse(txt, "railyard");
        assertFalse(r.allows("/mine/x"));
        assertTrue(r.allows("/other"));
        assertFalse(RobotsTxt.parse(txt, "Railyard-Crawler").allows("/other"), "another product token gets the * group");
        assertEquals("MyBot", FetchSettings.productToken("MyBot/2.1 (+http://example.org/bot)"));
        assertEquals("railyard", FetchSettings.defaults().productToken());
        assertTrue(FetchSettings.DEFAULT_USER_AGENT.startsWith("railyard/") && !FetchSettings.DEFAULT_USER_AGENT.contains("unknown"),
                FetchSettings.DEFAULT_USER_AGENT);
    }

    @Test
    void sitemapLinesAreCollectedResolvedAndOnce() {
        RobotsTxt r = RobotsTxt.parse("Sitemap: /sm.xml\nUser-agent: *\nDisallow: /x\nSitemap: http://robots.invalid/sm.xml\nSitemap: https://other.example/s.xml.gz\n", "railyard");
        assertEquals(List.of("http://robots.invalid/sm.xml", "https://other.example/s.xml.gz"), r.sitemaps());
    }

    @Test
    void aFileOverTheParseLimitIsReadUpToItsLastWholeLineWithin() {
        StringBuilder sb = new StringBuilder("User-agent: *\nDisallow: /early\n");
        while (sb.length() < FetchSettings.MAX_ROBOTS_BYTES - 10) sb.append("# padding padding padding padding\n");
        sb.append("Disallow: /cut-in-the-middle-of-this-rule\n");
        byte[] cut = java.util.Arrays.copyOf(sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), FetchSettings.MAX_ROBOTS_BYTES);
        RobotsTxt r = RobotsTxt.parse(cut, true, "http://h/robots.txt", "railyard");
        assertFalse(r.allows("/early"));
        assertTrue(r.allows("/cut"), "the partial last line 'Disallow: /cut' is dropped, not read as a shorter rule");
    }
}
