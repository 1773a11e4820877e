package io.railyard.crawl;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Registered domains by the Public Suffix List, and the include/exclude patterns. */
class ScopeTest {

    @Test
    void registeredDomainsFollowThePublicSuffixList() {
        assertEquals("example.co.uk", Scope.registeredDomain("a.example.co.uk"));
        assertEquals("example.co.uk", Scope.registeredDomain("b.c.example.co.uk"));
        assertEquals("other.co.uk", Scope.registeredDomain("www.other.co.uk"));
        assertEquals("example.com", Scope.registeredDomain("WWW.Example.COM"));
        assertEquals("b.github.io", Scope.registeredDomain("a.b.github.io"), "private suffixes count, as in browsers");
        assertEquals("127.0.0.1", Scope.registeredDomain("127.0.0.1"));
        assertEquals("localhost", Scope.registeredDomain("localhost"));
    }

    @Test
    void sameDomainTakesTheSeedsRegisteredDomainsOnly() {
        Scope s = Scope.of(false, true, List.of(), List.of()).withSeeds(List.of("http://a.example.co.uk/", "https://shop.example.com:8443/"));
        assertEquals(Scope.Verdict.IN, s.verdict("http://b.example.co.uk/x", false));
        assertEquals(Scope.Verdict.IN, s.verdict("https://example.com/", false));
        assertEquals(Scope.Verdict.OFFSITE, s.verdict("http://other.co.uk/", false));
        assertEquals(Scope.Verdict.OFFSITE, s.verdict("http://co.uk/", false));
        Scope host = Scope.of(true, false, List.of(), List.of()).withSeeds(List.of("http://a.example.co.uk/"));
        assertEquals(Scope.Verdict.OFFSITE, host.verdict("http://b.example.co.uk/x", false));
        assertEquals(Scope.Verdict.OFFSITE, host.verdict("http://a.example.co.uk:8080/x", false), "host and port");
    }

    @Test
    void includesAreAnyOfThemExcludesNoneAndTheSeedsAreAlwaysIn() {
        Scope s = Scope.of(false, false, List.of("/blog/", "/news/"), List.of("\\?print=", "/blog/drafts/")).withSeeds(List.of("http://h/"));
        assertEquals(Scope.Verdict.IN, s.verdict("http://h/blog/1", false));
        assertEquals(Scope.Verdict.IN, s.verdict("http://h/news/2", false));
        assertEquals(Scope.Verdict.EXCLUDED, s.verdict("http://h/shop/3", false));
        assertEquals(Scope.Verdict.EXCLUDED, s.verdict("http://h/blog/1?print=1", false));
        assertEquals(Scope.Verdict.EXCLUDED, s.verdict("http://h/blog/drafts/x", false));
        assertEquals(Scope.Verdict.IN, s.verdict("http://h/", true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Scope.of(false, false, List.of("(open"), List.of()));
        assertTrue(e.getMessage().startsWith("--include '(open' is not a regular expression"), e.getMessage());
    }
}
