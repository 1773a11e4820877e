package io.railyard.loop;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The response parser fed every framing whole, one byte at a time, and split at every position,
 * so that no boundary between network reads can confuse it; and fed malformed heads, which it
 * must refuse with a clear message instead of guessing.
 */
class ResponseParserTest {

    private record Parsed(ResponseParser parser, LoopHttpResponse response, int leftover) {}

    /** Feeds {@code wire} in pieces of {@code step} bytes (0: whole); closes the stream at the end if asked. */
    private static Parsed parse(String wire, int step, boolean head, boolean closeAtEnd) throws IOException {
        ResponseParser p = new ResponseParser();
        Exchange ex = new Exchange(null, LoopHttpRequest.get("http://127.0.0.1/x"));
        p.begin(head);
        byte[] bytes = wire.getBytes(StandardCharsets.ISO_8859_1);
        int at = 0;
        boolean done = false;
        while (at < bytes.length && !done) {
            int n = step == 0 ? bytes.length : Math.min(step, bytes.length - at);
            ByteBuf piece = Unpooled.wrappedBuffer(bytes, at, n);
            done = p.feed(piece, ex);
            at += n - piece.readableBytes();
            if (!done) assertFalse(piece.isReadable(), "a piece was not consumed");
        }
        if (!done && closeAtEnd) done = p.closed();
        assertTrue(done, "the response is complete");
        return new Parsed(p, ex.response(p), bytes.length - at);
    }

    private static void everySplit(String wire, boolean head, boolean closeAtEnd, String body) throws IOException {
        for (int step : new int[]{0, 1, 2, 3, 7}) {
            Parsed r = parse(wire, step, head, closeAtEnd);
            assertEquals(body, new String(r.response.body(), StandardCharsets.ISO_8859_1), "piece size " + step);
        }
    }

    @Test
    void contentLength() throws IOException {
        String wire = "HTTP/1.1 200 OK\r\nContent-Length: 11\r\nContent-Type: text/plain\r\n\r\nhello world";
        everySplit(wire, false, false, "hello world");
        Parsed r = parse(wire, 1, false, false);
        assertEquals(200, r.response.status());
        assertEquals("text/plain", r.response.header("CONTENT-TYPE"));
        assertTrue(r.parser.keepAlive);
        assertFalse(r.parser.closeDelimited);
    }

    @Test
    void chunkedWithExtensionsAndTrailers() throws IOException {
        String wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                + "6;name=value\r\nhello \r\nA\r\nchunked wo\r\n3\r\nrld\r\n0\r\nX-Trailer: t\r\n\r\n";
        everySplit(wire, false, false, "hello chunked world");
        assertEquals(0, parse(wire, 1, false, false).leftover);
    }

    @Test
    void aChunkedBodysLinesDoNotCountTowardTheHeadsLimitButItsTrailersDo() throws IOException {
        // 20,000 one-byte chunks: 120 KB of chunk lines, over the head's 64 KiB
        String body = "x".repeat(20_000);
        String wire = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n" + "1\r\nx\r\n".repeat(20_000) + "0\r\n\r\n";
        for (int step : new int[]{0, 7}) assertEquals(body, new String(parse(wire, step, false, false).response.body(), StandardCharsets.ISO_8859_1));
        String trailers = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n"
                + ("X-T: " + "t".repeat(1000) + "\r\n").repeat(70) + "\r\n";
        IOException e = assertThrows(IOException.class, () -> parse(trailers, 0, false, false));
        assertTrue(e.getMessage().contains("a head longer than"), e.getMessage());
    }

    @Test
    void closeDelimitedEndsWithTheConnection() throws IOException {
        everySplit("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end", false, true, "until the end");
        Parsed old = parse("HTTP/1.0 200 OK\r\n\r\nold", 1, false, true);
        assertTrue(old.parser.closeDelimited);
        assertFalse(old.parser.keepAlive);
        assertEquals("HTTP/1.0", old.response.version());
    }

    @Test
    void bodilessResponses() throws IOException {
        everySplit("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", true, false, ""); // HEAD
        everySplit("HTTP/1.1 204 No Content\r\nContent-Length: 5\r\n\r\n", false, false, "");
        everySplit("HTTP/1.1 304 Not Modified\r\n\r\n", false, false, "");
        everySplit("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", false, false, "");
    }

    @Test
    void informationalResponsesAreSkipped() throws IOException {
        Parsed r = parse("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", 1, false, false);
        assertEquals(201, r.response.status());
        assertEquals("ok", new String(r.response.body(), StandardCharsets.ISO_8859_1));
        assertNull(r.response.header("link"), "headers of the 1xx response do not leak into the final one");
    }

    @Test
    void keepAliveFollowsTheVersionAndConnectionHeader() throws IOException {
        assertFalse(parse("HTTP/1.1 200 OK\r\nConnection: keep-alive, close\r\nContent-Length: 0\r\n\r\n", 0, false, false).parser.keepAlive);
        assertTrue(parse("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", 0, false, false).parser.keepAlive);
    }

    @Test
    void bytesAfterTheResponseAreLeftUnread() throws IOException {
        Parsed r = parse("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok" + "12345", 0, false, false);
        assertEquals("ok", new String(r.response.body(), StandardCharsets.ISO_8859_1));
        assertEquals(5, r.leftover);
    }

    @Test
    void foldedHeaderIsJoined() throws IOException {
        Parsed r = parse("HTTP/1.1 200 OK\r\nX-Long: one\r\n  two\r\nContent-Length: 0\r\n\r\n", 1, false, false);
        assertEquals("one two", r.response.header("x-long"));
    }

    @Test
    void headersComeBackAsTheServerSpelledThemInOrder() throws IOException {
        StringBuilder many = new StringBuilder("HTTP/1.1 200 OK\r\n");
        for (int i = 0; i < 40; i++) many.append("X-Field-").append(i).append(":\t value ").append(i).append(" \r\n");
        String wire = many + "Set-Cookie: a=1\r\nset-cookie: b=2\r\nContent-Length: 2\r\n\r\nok";
        for (int step : new int[]{0, 1, 5, 64}) {
            LoopHttpResponse r = parse(wire, step, false, false).response;
            assertEquals("value 7", r.header("x-field-7"), "piece size " + step);
            assertEquals(java.util.List.of("a=1", "b=2"), r.headers("SET-COOKIE"));
            java.util.List<String> names = new java.util.ArrayList<>(r.headerNames());
            assertEquals(43, names.size());
            assertEquals("X-Field-0", names.get(0));
            assertEquals("set-cookie", names.get(41));
            assertEquals("Content-Length", names.get(42));
        }
    }

    @Test
    void connectionTokensAreReadInAnyCaseAndSpacing() throws IOException {
        assertFalse(parse("HTTP/1.1 200 OK\r\nConnection:\tUpgrade ,  CLOSE \r\nContent-Length: 0\r\n\r\n", 1, false, false).parser.keepAlive);
        assertTrue(parse("HTTP/1.1 200 OK\r\nConnection: closed\r\nContent-Length: 0\r\n\r\n", 0, false, false).parser.keepAlive,
                "a token is compared whole");
        assertFalse(parse("HTTP/1.0 200 OK\r\nConnection: keep-alive-ish\r\nContent-Length: 0\r\n\r\n", 0, false, false).parser.keepAlive);
        assertTrue(parse("HTTP/1.0 200 OK\r\nconnection: x\r\nCONNECTION: keep-alive\r\nContent-Length: 0\r\n\r\n", 0, false, false).parser.keepAlive,
                "repeated fields are one list");
    }

    @Test
    void aCutResponseIsAnErrorAtClose() throws IOException {
        ResponseParser p = new ResponseParser();
        Exchange ex = new Exchange(null, LoopHttpRequest.get("http://127.0.0.1/x"));
        p.begin(false);
        assertFalse(p.feed(Unpooled.copiedBuffer("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n0123", StandardCharsets.ISO_8859_1), ex));
        IOException e = assertThrows(IOException.class, p::closed);
        assertTrue(e.getMessage().contains("6 body bytes missing"), e.getMessage());
        ResponseParser idle = new ResponseParser();
        idle.begin(false);
        assertFalse(idle.closed(), "nothing had arrived: not an error, the caller may retry");
    }

    @Test
    void malformedHeadsAreRefused() {
        String[] bad = {
                "HTTP/1.1 2x0 OK\r\n\r\n",
                "SPDY/3 200 OK\r\n\r\n",
                "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length : 1\r\n\r\nx",
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxx",
                "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
                "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n 2\r\n\r\nx",
                "HTTP/1.1 200 OK\r\n folded first\r\n\r\n",
                "HTTP/1.1 200 OK\r\n: no name\r\n\r\n",
                "HTTP/1.1\r\n\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n",
                "HTTP/1.1 200 OK\r\nX: " + "y".repeat(ResponseParser.MAX_LINE) + "\r\n\r\n",
        };
        for (String wire : bad) {
            IOException e = assertThrows(IOException.class, () -> parse(wire, 0, false, false), wire);
            assertTrue(e.getMessage().startsWith("malformed HTTP response"), e.getMessage());
        }
    }
}
