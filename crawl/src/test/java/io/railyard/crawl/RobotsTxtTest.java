package io.railyard.crawl;

import org.junit.jupiter.api.Test;

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
        assertTrue(RobotsTxt.matches("/*", "/anything"));
        assertTrue(RobotsTxt.matches("*", "/"));
    }

    @Test
    void emptyDisallowAndGarbageAllowEverything() {
        assertTrue(RobotsTxt.parse("User-agent: *\nDisallow:\n", "railyard").allows("/x"));
        assertTrue(RobotsTxt.parse("<html>not a robots file</html>", "railyard").allows("/x"));
        assertTrue(RobotsTxt.ALLOW_ALL.allows("/anything"));
    }
}
