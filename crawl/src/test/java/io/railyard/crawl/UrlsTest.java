package io.railyard.crawl;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Normalisation and resolution, with RFC 3986's own examples. */
class UrlsTest {

    @Test
    void normalisesCaseDefaultPortsFragmentsDotsAndEscapes() {
        assertEquals("http://example.com/", Urls.normalize("HTTP://Example.COM"));
        assertEquals("http://example.com/", Urls.normalize("http://example.com:80/"));
        assertEquals("https://example.com/a", Urls.normalize("https://example.com:443/a#frag"));
        assertEquals("http://example.com:8080/a", Urls.normalize("http://example.com:8080/a"));
        assertEquals("http://example.com/a/c", Urls.normalize("http://example.com/a/./b/../c"));
        assertEquals("http://example.com/a", Urls.normalize("http://example.com/../../a"));
        assertEquals("http://example.com/~a/%C3%A9%2F", Urls.normalize("http://example.com/%7ea/%c3%a9%2f"));
        assertEquals("http://example.com/a%20b/%C3%A9?q=%7C", Urls.normalize(" http://example.com/a b/é?q=| "));
        assertEquals("http://example.com/100%25", Urls.normalize("http://example.com/100%"));
        assertEquals("http://example.com/p?b=2&a=1", Urls.normalize("http://example.com/p?b=2&a=1"), "query order kept");
        assertEquals("http://[::1]:8080/", Urls.normalize("http://[::1]:8080"));
        assertEquals("http://u:p@example.com/", Urls.normalize("http://u:p@Example.com/"));
        assertEquals("http://xn--bcher-kva.example:8080/b%C3%BCcher", Urls.normalize("http://Bücher.example:8080/bücher"), "IDNA host, escaped path");
        assertEquals("http://xn--bcher-kva.example/x", Urls.resolve("http://h/", "//bücher.example/x"));
        assertEquals("http://example.com/x", Urls.normalize("http://example.com/%2E/x"), "an escaped dot is a dot");
    }

    @Test
    void onlyHttpAndHttpsWithAHost() {
        for (String bad : new String[] {"ftp://x/", "mailto:a@b.c", "javascript:void(0)", "http:/x", "http://", "relative/path",
                "", "   ", "http://exa mple.com/", "http://example.com:99999/", "http://example.com:8x/", "data:text/html,hi"})
            assertNull(Urls.normalize(bad), bad);
        assertNull(Urls.normalize(null));
    }

    @Test
    void resolvesRfc3986NormalExamples() {
        String base = "http://a/b/c/d;p?q";
        String[][] cases = {
                {"g", "http://a/b/c/g"}, {"./g", "http://a/b/c/g"}, {"g/", "http://a/b/c/g/"}, {"/g", "http://a/g"},
                {"//g", "http://g/"}, {"?y", "http://a/b/c/d;p?y"}, {"g?y", "http://a/b/c/g?y"}, {"#s", "http://a/b/c/d;p?q"},
                {"g#s", "http://a/b/c/g"}, {"g?y#s", "http://a/b/c/g?y"}, {";x", "http://a/b/c/;x"}, {"g;x", "http://a/b/c/g;x"},
                {"", "http://a/b/c/d;p?q"}, {".", "http://a/b/c/"}, {"./", "http://a/b/c/"}, {"..", "http://a/b/"},
                {"../", "http://a/b/"}, {"../g", "http://a/b/g"}, {"../..", "http://a/"}, {"../../", "http://a/"},
                {"../../g", "http://a/g"},
                // abnormal examples (5.4.2)
                {"../../../g", "http://a/g"}, {"../../../../g", "http://a/g"}, {"/./g", "http://a/g"}, {"/../g", "http://a/g"},
                {"g.", "http://a/b/c/g."}, {".g", "http://a/b/c/.g"}, {"g..", "http://a/b/c/g.."}, {"..g", "http://a/b/c/..g"},
                {"./../g", "http://a/b/g"}, {"./g/.", "http://a/b/c/g/"}, {"g/./h", "http://a/b/c/g/h"}, {"g/../h", "http://a/b/c/h"},
                {"g;x=1/./y", "http://a/b/c/g;x=1/y"}, {"g;x=1/../y", "http://a/b/c/y"}, {"g?y/./x", "http://a/b/c/g?y/./x"},
                {"HTTPS://A:443/x", "https://a/x"}, {"//A:80/x", "http://a/x"}};
        for (String[] c : cases) assertEquals(c[1], Urls.resolve(base, c[0]), "'" + c[0] + "'");
        assertNull(Urls.resolve(base, "mailto:x@y"));
        assertEquals("http://h/x", Urls.resolve("http://h", "x"), "a base without a path");
    }

    @Test
    void keepsAPathWithoutDotSegmentsAsRfc3986sLoopWouldForRandomPaths() {
        assertEquals("/p/12.html", Urls.removeDotSegments("/p/12.html"));
        assertEquals("/a/.htaccess", Urls.removeDotSegments("/a/.htaccess"));
        java.util.Random rnd = new java.util.Random(3986);
        String[] parts = {"/", ".", "..", "a", "b.c", "%2E", "%2e", ".x", "x."};
        for (int n = 0; n < 20_000; n++) {
            StringBuilder p = new StringBuilder();
            for (int k = rnd.nextInt(7); k >= 0; k--) p.append(parts[rnd.nextInt(parts.length)]);
            String path = p.toString();
            assertEquals(Urls.rfc3986Loop(path.replace("%2e", ".").replace("%2E", ".")), Urls.removeDotSegments(path), path);
        }
    }

    @Test
    void splitsOriginAuthorityAndPath() {
        String u = Urls.normalize("http://user@Host:8080/a/b?c=d");
        assertEquals("http://user@host:8080", Urls.origin(u));
        assertEquals("host:8080", Urls.authority(u));
        assertEquals("/a/b?c=d", Urls.pathAndQuery(u));
    }
}
