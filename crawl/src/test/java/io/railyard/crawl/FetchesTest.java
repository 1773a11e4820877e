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

    @Test
    void answersAreClassified() {
        String u = "http://h/a/b";
        assertTrue(Fetches.answer(u, false, 200, "text/html", null, null, html("<a href=c>c</a>"), false) instanceof Fetched.Page p
                && p.links().equals(List.of("http://h/a/c")));
        assertTrue(Fetches.answer(u, false, 200, null, null, null, html("  <!DOCTYPE html><a href=c>"), false) instanceof Fetched.Page, "sniffed");
        assertEquals(new Fetched.NotHtml(200, "application/pdf"), Fetches.answer(u, false, 200, "application/pdf", null, null, html("%PDF"), false));
        assertEquals(new Fetched.Redirect(301, "http://h/new"), Fetches.answer(u, false, 301, null, "../new", null, new byte[0], false));
        assertEquals("bad-redirect", ((Fetched.Failed) Fetches.answer(u, false, 302, null, null, null, new byte[0], false)).kind());
        Fetched.Failed tooMany = (Fetched.Failed) Fetches.answer(u, false, 429, null, null, "7", new byte[0], false);
        assertTrue(tooMany.retryable());
        assertEquals(7000, tooMany.retryAfterMs());
        assertTrue(((Fetched.Failed) Fetches.answer(u, false, 503, null, null, null, new byte[0], false)).retryable());
        Fetched.Failed notFound = (Fetched.Failed) Fetches.answer(u, false, 404, null, null, null, new byte[0], false);
        assertEquals("http-404", notFound.kind());
        assertFalse(notFound.retryable());
        assertEquals(new Fetched.Text(404, ""), Fetches.answer(u, true, 404, null, null, null, html("nope"), false), "no robots.txt: allow all");
        assertEquals(new Fetched.Text(200, "User-agent: *"), Fetches.answer(u, true, 200, "text/plain", null, null, html("User-agent: *"), false));
    }

    @Test
    void exceptionsAreClassifiedAndUnwrapped() {
        assertEquals("unknown-host", Fetches.failure(new UnknownHostException("x")).kind());
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
