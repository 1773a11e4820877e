package io.railyard.crawl;

import io.railyard.core.TaskTimeoutException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.CompletionException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How answers and exceptions are classified, and how links come out of HTML. */
class FetchesTest {

    private static byte[] html(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theWarmUpRunsOnOneThreadHoweverManyCrawlsAskForItAndWarmUpWaitsForIt() throws Exception {
        Thread[] askers = new Thread[8];
        for (int i = 0; i < askers.length; i++) askers[i] = Thread.ofPlatform().start(Fetches::warmUpInBackground);
        for (Thread t : askers) t.join();
        long warming = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("railyard-crawl-warm-up")).count();
        assertTrue(warming <= 1, warming + " warm-up threads");
        Fetches.warmUp(); // returns once the parsers are loaded, whichever thread loads them
        assertEquals(List.of("http://h/a.html"), Fetches.links(html("<a href='a.html'>a</a>"), "text/html", "http://h/"));
    }

    @Test
    void linksAreResolvedAgainstTheFirstBaseWithAnHrefEvenForLinksBeforeIt() {
        String page = """
                <html><head><a href="early.html">before the base</a><base target="_top"><base href="/dir/sub/"><base href="/ignored/"></head>
                <body><a href="x.html#frag">x</a> <A HREF='../y.html'>y</A> <a href=" z.html ">z</a> <area href="/map.html">
                <a href="x.html">again</a> <a href="mailto:a@b.c">mail</a> <a href="javascript:void(0)">js</a> <a>no href</a>
                <a href="//other.example:8080/o">other</a> <link href="/style.css"> <a href="?q=1">query</a></body></html>""";
        List<String> links = Fetches.links(html(page), "text/html; charset=utf-8", "http://h/page/p.html");
        assertEquals(List.of("http://h/dir/sub/early.html", "http://h/dir/sub/x.html", "http://h/dir/y.html", "http://h/dir/sub/z.html",
                "http://h/map.html", "http://other.example:8080/o", "http://h/dir/sub/?q=1"), links);
    }

    @Test
    void theCharsetComesFromTheHeaderElseFromTheDocument() {
        byte[] latin1 = "<html><head><meta charset=\"iso-8859-1\"></head><body><a href=\"/caf\u00e9\">c</a></body></html>"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of("http://h/caf%C3%A9"), Fetches.links(latin1, "text/html", "http://h/"));
        assertEquals(List.of("http://h/caf%C3%A9"), Fetches.links(latin1, "text/html; charset=ISO-8859-1", "http://h/"));
    }

    private static Fetched answer(String url, FetchKind kind, int status, String type, String location, String retryAfter, byte[] body) {
        return Fetches.answer(url, kind, FetchSettings.defaults(), new HttpAnswer(status, type, null, location, retryAfter, List.of(), body, false, 0));
    }

    @Test
    void answersAreClassified() {
        String u = "http://h/a/b";
        FetchKind page = FetchKind.PAGE;
        assertTrue(answer(u, page, 200, "text/html", null, null, html("<a href=c>c</a>")) instanceof Fetched.Page p
                && p.links().equals(List.of("http://h/a/c")));
        assertTrue(answer(u, page, 200, null, null, null, html("  <!DOCTYPE html><a href=c>")) instanceof Fetched.Page, "sniffed");
        assertEquals(new Fetched.NotHtml(200, "application/pdf", new Fetched.Transfer("application/pdf", null, 4, 0, 0)),
                answer(u, page, 200, "application/pdf", null, null, html("%PDF")));
        assertEquals(new Fetched.Redirect(301, "http://h/new"), answer(u, page, 301, null, "../new", null, new byte[0]));
        assertEquals("bad-redirect", ((Fetched.Failed) answer(u, page, 302, null, null, null, new byte[0])).kind());
        Fetched.Failed tooMany = (Fetched.Failed) answer(u, page, 429, null, null, "7", new byte[0]);
        assertTrue(tooMany.retryable());
        assertEquals(7000, tooMany.retryAfterMs());
        assertEquals(429, tooMany.httpStatus(), "the status is typed, not parsed out of the kind");
        assertTrue(((Fetched.Failed) answer(u, page, 503, null, null, null, new byte[0])).retryable());
        Fetched.Failed notFound = (Fetched.Failed) answer(u, page, 404, null, null, null, new byte[0]);
        assertEquals("http-404", notFound.kind());
        assertEquals(Fetched.Failure.HTTP, notFound.failure());
        assertEquals(404, notFound.status());
        assertFalse(notFound.retryable());
        assertEquals(new Fetched.Robots(404, RobotsTxt.ALLOW_ALL), answer(u, FetchKind.ROBOTS, 404, null, null, null, html("nope")), "no robots.txt: allow all");
        Fetched.Robots robots = (Fetched.Robots) answer(u, FetchKind.ROBOTS, 200, "text/plain", null, null, html("User-agent: *\nDisallow: /x"));
        assertFalse(robots.rules().allows("/x/y"));
        assertTrue(robots.rules().allows("/y"));
    }

    @Test
    void metaRobotsTitleCanonicalAndRelsComeOutOfThePage() {
        String page = """
                <html><head><title> The  title </title><meta name="ROBOTS" content="NoIndex"><meta name="railyard" content="nofollow">
                <link rel="alternate canonical" href="/canon?x=1#f"></head>
                <body><a href="/a" rel="nofollow ugc">a</a><a href="/b">b</a><a href="/a">a again</a></body></html>""";
        Fetched.Page p = (Fetched.Page) Fetches.answer("http://h/p", FetchKind.PAGE, FetchSettings.defaults(), new HttpAnswer(200,
                "text/html", null, null, null, List.of("otherbot: noarchive", "max-snippet: 20"), html(page), false, 5_000_000));
        assertEquals("The title", p.title());
        assertEquals("http://h/canon?x=1", p.canonical());
        assertEquals(List.of("http://h/a", "http://h/b"), p.links());
        assertEquals(List.of("nofollow ugc", ""), p.rels(), "the first occurrence's rel");
        assertEquals("noindex, nofollow, max-snippet: 20", p.robots(), "another crawler's header does not apply to us");
        assertTrue(p.noindex());
        assertTrue(p.nofollow());
        assertEquals(5, p.transfer().fetchMillis());
        assertEquals(page.length(), p.transfer().decodedBytes());
    }

    @Test
    void xRobotsTagAddressedToUsOrToAllCounts() {
        assertEquals("nofollow", RobotsDirectives.combine(List.of(), List.of("railyard: nofollow", "googlebot: noindex"), "RailYard"));
        assertEquals("none", RobotsDirectives.combine(List.of(), List.of("none"), "railyard"));
        assertTrue(RobotsDirectives.has("none", "noindex") && RobotsDirectives.has("none", "nofollow"));
        assertFalse(RobotsDirectives.has("noarchive, unavailable_after: 2030-01-01", "nofollow"));
    }

    @Test
    void aPageWithNoDeclaredCharsetIsUtf8WhenValidElseWindows1252() {
        byte[] utf8 = "<html><body><a href=\"/caf\u00e9.html\">c</a></body></html>".getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = "<html><body><a href=\"/caf\u00e9.html\">c</a> \u201cquoted\u201d</body></html>".getBytes(java.nio.charset.Charset.forName("windows-1252"));
        assertEquals(List.of("http://h/caf%C3%A9.html"), Fetches.links(utf8, "text/html", "http://h/"));
        assertEquals(List.of("http://h/caf%C3%A9.html"), Fetches.links(latin1, "text/html", "http://h/"), "not /caf%EF%BF%BD.html");
        assertEquals(java.nio.charset.Charset.forName("windows-1252"), HtmlCharset.of(latin1, null));
        assertEquals(StandardCharsets.UTF_8, HtmlCharset.of(utf8, null));
        assertEquals(java.nio.charset.Charset.forName("windows-1252"), HtmlCharset.of(utf8, "text/html; charset=ISO-8859-1"), "the WHATWG reading of the label");
        byte[] cutInside = java.util.Arrays.copyOf("ab\u00e9".getBytes(StandardCharsets.UTF_8), 3);
        assertTrue(HtmlCharset.validUtf8(cutInside), "a sequence cut at the end (a truncated page) is still UTF-8");
        byte[] bom = "\uFEFF<a href=/\u00e9>".getBytes(StandardCharsets.UTF_16LE);
        assertEquals(List.of("http://h/%C3%A9"), Fetches.links(bom, null, "http://h/"));
    }

    @Test
    void theMetaPrescanReadsTheFirst1024BytesInAnyCase() {
        java.nio.charset.Charset cp1251 = java.nio.charset.Charset.forName("windows-1251");
        assertEquals(cp1251, HtmlCharset.of(html("<html><head><META Charset=\"Windows-1251\"></head></html>"), "text/html"));
        assertEquals(cp1251, HtmlCharset.of(html("<metadata><meta name=x><meta charset=windows-1251>"), null),
                "a <metadata> or a meta without charset before it");
        String pad = "<!-- " + "x".repeat(1024) + " -->";
        assertEquals(StandardCharsets.UTF_8, HtmlCharset.of(html(pad + "<meta charset=windows-1251>"), null), "after 1024 bytes: not read");
        byte[] cut = html("x".repeat(1020) + "<meta charset=windows-1251>");
        assertEquals(StandardCharsets.UTF_8, HtmlCharset.of(cut, null), "<meta cut by the 1024th byte");
        assertEquals(3, HtmlCharset.indexOfMeta("<x><MeTa charset=utf-8>"));
        assertEquals(-1, HtmlCharset.indexOfMeta("<x><met"));
    }

    @Test
    void anUndeclaredPageDecodesAsUtf8OnlyWhenItIsValidUtf8() {
        String withReplacement = "<p>caf\u00e9 \uFFFD</p>"; // U+FFFD itself, validly encoded
        assertEquals(withReplacement, HtmlCharset.decode(withReplacement.getBytes(StandardCharsets.UTF_8), "text/html"));
        byte[] cutInside = java.util.Arrays.copyOf("<p>ab\u00e9".getBytes(StandardCharsets.UTF_8), 6);
        assertEquals("<p>ab\uFFFD", HtmlCharset.decode(cutInside, null), "a truncated page stays UTF-8");
        byte[] latin1 = "<p>caf\u00e9 \u201cq\u201d</p>".getBytes(java.nio.charset.Charset.forName("windows-1252"));
        assertEquals("<p>caf\u00e9 \u201cq\u201d</p>", HtmlCharset.decode(latin1, null));
        assertEquals("<p>plain</p>", HtmlCharset.decode(html("<p>plain</p>"), null));
    }

    @Test
    void exceptionsAreClassifiedAndUnwrapped() {
        assertEquals("unknown-host", Fetches.failure(new UnknownHostException("x")).kind());
        assertEquals(Fetched.Failure.UNKNOWN_HOST, Fetches.failure(new UnknownHostException("x")).failure());
        Fetched.Failed proxy = Fetches.failure(new IOException("Unable to tunnel through proxy. Proxy returns \"HTTP/1.1 407 Proxy Authentication Required\""));
        assertEquals("proxy", proxy.kind());
        assertEquals(407, proxy.status());
        assertEquals("proxy", Fetches.failure(new io.railyard.loop.ProxyRefusedException("no", 403)).kind());
        assertFalse(Fetches.failure(new UnknownHostException("x")).retryable());
        assertEquals("connect", Fetches.failure(new CompletionException(new ConnectException("refused"))).kind());
        assertEquals("timeout", Fetches.failure(new SocketTimeoutException("slow")).kind());
        assertEquals("timeout", Fetches.failure(new TaskTimeoutException(1, Duration.ofSeconds(1))).kind());
        assertEquals("protocol", Fetches.failure(new IOException("malformed HTTP response: status line 'x'")).kind());
        assertEquals("io", Fetches.failure(new IOException("connection reset")).kind());
        Fetched.Failed bug = Fetches.failure(new IllegalStateException("bug\nwith\ttabs"));
        assertEquals("internal", bug.kind());
        assertFalse(bug.detail().contains("\n") || bug.detail().contains("\t"));
    }

    @Test
    void retryAfterInSecondsOrAsADate() {
        assertEquals(120_000, Fetches.retryAfterMillis("120"));
        assertEquals(0, Fetches.retryAfterMillis("soon"));
        assertEquals(0, Fetches.retryAfterMillis(null));
        long ms = Fetches.retryAfterMillis(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(30)));
        assertTrue(ms > 25_000 && ms <= 30_000, ms + " ms");
    }
}
