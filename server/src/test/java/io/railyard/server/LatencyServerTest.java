package io.railyard.server;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every endpoint of the latency server over real loopback sockets, its errors, and its lifecycle. */
class LatencyServerTest {

    static LatencyServer server;

    @BeforeAll
    static void start() {
        server = LatencyServer.start(ServerOptions.defaults().withSite(200, 7));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static RawHttp.Response get(String path) throws IOException {
        return RawHttp.get(server.port(), path);
    }

    @Test
    void delayAnswersAfterTheDelayWithTheDefaultBody() throws IOException {
        long t0 = System.nanoTime();
        RawHttp.Response r = get("/delay/150");
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertEquals(200, r.status());
        assertEquals(1024, r.body().length);
        assertArrayEquals(Responses.filler(1024), r.body());
        assertTrue(ms >= 145, "answered after " + ms + " ms, before its delay");
        assertEquals("keep-alive", r.header("connection"));
    }

    @Test
    void delayTakesABodySizeAndZeroDelay() throws IOException {
        assertEquals(10, get("/delay/0?bytes=10").body().length);
        assertEquals(0, get("/delay/1?bytes=0").body().length);
        RawHttp.Response big = get("/delay/1?x=1&bytes=200000");
        assertEquals(200_000, big.body().length);
        assertArrayEquals(Responses.filler(200_000), big.body());
    }

    @Test
    void bytesAnswersThatManyBytes() throws IOException {
        for (int n : new int[] {0, 1, 1024, 65_536, 65_537, 1_000_000}) {
            RawHttp.Response r = get("/bytes/" + n);
            assertEquals(200, r.status());
            assertEquals(String.valueOf(n), r.header("content-length"));
            assertArrayEquals(Responses.filler(n), r.body(), "body of /bytes/" + n);
        }
    }

    @Test
    void statusAnswersThatStatusWithOptionalHeaders() throws IOException {
        assertEquals(503, get("/status/503").status());
        assertEquals(200, get("/status/200").status());
        RawHttp.Response limited = get("/status/429?retry-after=3");
        assertEquals(429, limited.status());
        assertEquals("3", limited.header("retry-after"));
        RawHttp.Response moved = get("/status/301?location=%2Fsite%2F");
        assertEquals(301, moved.status());
        assertEquals("/site/", moved.header("location"));
        RawHttp.Response noContent = get("/status/204");
        assertEquals(204, noContent.status());
        assertNull(noContent.header("content-length"));
    }

    @Test
    void redirectChainsEndInA200() throws IOException {
        RawHttp.Response r = get("/redirect/3");
        assertEquals(302, r.status());
        assertEquals("/redirect/2", r.header("location"));
        assertEquals(200, get("/redirect/0").status());
        assertEquals(301, get("/site").status());
        assertEquals("/site/", get("/site").header("location"));
    }

    @Test
    void badNumbersAnswer400NamingTheFix() throws IOException {
        for (String path : new String[] {"/delay/abc", "/delay/-1", "/delay/", "/delay/600001", "/delay/99999999999999",
                "/delay/10?bytes=x", "/delay/10?bytes=67108865", "/bytes/1.5", "/bytes/67108865", "/status/99",
                "/status/600", "/status/abc", "/status/200/x", "/redirect/101", "/site/?latency=abc", "/status/500?retry-after=-1"}) {
            RawHttp.Response r = get(path);
            assertEquals(400, r.status(), path);
            assertTrue(r.text().startsWith("400 bad number in") || r.text().startsWith("400 bad"), path + ": " + r.text());
        }
        assertTrue(get("/delay/x").text().contains("use /delay/{ms} with ms in 0..600000"));
    }

    @Test
    void unknownPathsAnswer404() throws IOException {
        for (String path : new String[] {"/nope", "/delayed/1", "/site/nope.html", "/site/index.html", "/site/s0/p99999.html", "//", "/stats/x"}) {
            assertEquals(404, get(path).status(), path);
        }
    }

    @Test
    void otherMethodsAnswer405AndHeadHasNoBody() throws IOException {
        try (RawHttp c = new RawHttp(server.port())) {
            RawHttp.Response post = c.request("POST", "/bytes/10");
            assertEquals(405, post.status());
            assertEquals("GET, HEAD", post.header("allow"));
            RawHttp.Response head = c.request("HEAD", "/bytes/100");
            assertEquals(200, head.status());
            assertEquals("100", head.header("content-length"));
            // the connection is still in step: the next answer is the next request's
            assertEquals(7, c.request("GET", "/bytes/7").body().length);
        }
    }

    @Test
    void malformedRequestsAnswer400AndCloseTheConnection() throws IOException {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("THIS IS NOT HTTP\r\n\r\n");
            RawHttp.Response r = c.read(false);
            assertEquals(400, r.status());
            assertTrue(c.closedByServer());
        }
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /" + "x".repeat(10_000) + " HTTP/1.1\r\n\r\n");
            assertEquals(400, c.read(false).status());
        }
        // garbage and a reset connection cost the server nothing
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoLinger(true, 0);
            s.getOutputStream().write(new byte[] {0, 1, 2, (byte) 0xff, '\r', '\n'});
        }
        assertEquals(200, get("/bytes/1").status());
    }

    @Test
    void pipelinedAnswersKeepRequestOrderEvenWhenALaterOneIsFaster() throws IOException {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /delay/300?bytes=3 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /delay/1?bytes=1 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /bytes/2 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(3, c.read(false).body().length);
            assertEquals(1, c.read(false).body().length);
            assertEquals(2, c.read(false).body().length);
        }
    }

    @Test
    void connectionCloseIsHonouredAndHttp10DefaultsToClose() throws IOException {
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /bytes/5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            RawHttp.Response r = c.read(false);
            assertEquals("close", r.header("connection"));
            assertEquals(5, r.body().length);
            assertTrue(c.closedByServer());
        }
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /delay/20 HTTP/1.0\r\n\r\n");
            assertEquals(1024, c.read(false).body().length);
            assertTrue(c.closedByServer());
        }
    }

    @Test
    void absoluteFormTargetsAndFragmentsAreServed() throws IOException {
        assertEquals(3, get("http://127.0.0.1:" + server.port() + "/bytes/3").body().length);
        assertEquals(3, get("/bytes/3#frag").body().length);
    }

    @Test
    void robotsAndIndexAndStats() throws IOException {
        RawHttp.Response robots = get("/robots.txt");
        assertEquals(200, robots.status());
        assertTrue(robots.text().contains("Disallow: /site/private/"));
        assertTrue(get("/").text().contains("/delay/{ms}"));
        RawHttp.Response stats = get("/stats");
        assertEquals("application/json", stats.header("content-type"));
        assertTrue(stats.text().startsWith("{\"connections\":{\"current\":1,"), stats.text());
        assertTrue(stats.text().contains("\"127.0.0.1\":"), stats.text());
    }

    @Test
    void sitePagesAreHtmlAndCanBeSlowedDown() throws IOException {
        RawHttp.Response root = get("/site/");
        assertEquals(200, root.status());
        assertEquals("text/html; charset=utf-8", root.header("content-type"));
        assertTrue(root.text().contains("<a href="), root.text());
        long t0 = System.nanoTime();
        assertEquals(200, get("/site/s0/p1.html?latency=120").status());
        assertTrue(System.nanoTime() - t0 >= TimeUnit.MILLISECONDS.toNanos(115));
        assertEquals(200, get("/site/private/q0.html").status(), "disallowed pages exist; robots.txt only asks crawlers to skip them");
    }

    @Test
    void siteFailuresComeFirstThenThePage() throws IOException {
        try (LatencyServer s = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1).withSite(10, 1).withSiteFailures(2, 429))) {
            assertEquals(429, RawHttp.get(s.port(), "/site/s0/p3.html").status());
            assertEquals(429, RawHttp.get(s.port(), "/site/s0/p3.html").status());
            assertEquals(200, RawHttp.get(s.port(), "/site/s0/p3.html").status());
            assertEquals(429, RawHttp.get(s.port(), "/site/s0/p4.html").status(), "counts are per page");
        }
    }

    @Test
    void echoPortEchoesEveryByte() throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.echoPort())) {
            s.setSoTimeout(10_000);
            for (int round = 0; round < 3; round++) {
                byte[] line = ("round " + round + " " + "x".repeat(round * 5000) + "\n").getBytes(StandardCharsets.US_ASCII);
                s.getOutputStream().write(line);
                assertArrayEquals(line, s.getInputStream().readNBytes(line.length));
            }
        }
    }

    @Test
    void gaugesCountConnectionsAndRequestsInFlight() throws Exception {
        try (LatencyServer s = LatencyServer.start(ServerOptions.defaults());
             RawHttp a = new RawHttp(s.port()); RawHttp b = new RawHttp(s.port())) {
            a.send("GET /delay/400 HTTP/1.1\r\nHost: x\r\n\r\n");
            b.send("GET /delay/400 HTTP/1.1\r\nHost: x\r\n\r\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (s.stats().requests().current() < 2 && System.nanoTime() < deadline) Thread.sleep(5);
            ServerStats during = s.stats();
            assertEquals(2, during.connections().current());
            assertEquals(2, during.requests().current());
            assertEquals(2, during.byClient().get("127.0.0.1").requests().current());
            a.read(false);
            b.read(false);
            ServerStats after = s.stats();
            assertEquals(0, after.requests().current());
            assertEquals(2, after.requests().peak());
            assertEquals(2, after.requests().total());
            s.resetPeaks();
            assertEquals(0, s.stats().requests().peak());
            assertEquals(2, s.stats().connections().peak(), "two connections are still open");
        }
    }

    @Test
    void aRequestWhoseClientLeftIsNoLongerInFlight() throws Exception {
        try (LatencyServer s = LatencyServer.start(ServerOptions.defaults())) {
            try (RawHttp a = new RawHttp(s.port())) {
                a.send("GET /delay/60000 HTTP/1.1\r\nHost: x\r\n\r\n");
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (s.stats().requests().current() < 1 && System.nanoTime() < deadline) Thread.sleep(5);
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (s.stats().connections().current() > 0 && System.nanoTime() < deadline) Thread.sleep(5);
            assertEquals(0, s.stats().requests().current());
            assertEquals(0, s.stats().connections().current());
        }
    }

    @Test
    void closeReleasesThePortsAndEndsEveryThread() throws Exception {
        LatencyServer s = LatencyServer.start(ServerOptions.defaults());
        int port = s.port(), echoPort = s.echoPort();
        RawHttp idle = new RawHttp(port);
        RawHttp waiting = new RawHttp(port);
        waiting.send("GET /delay/60000 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(200, RawHttp.get(port, "/bytes/1").status());
        assertTrue(threadsNamed(s.threadNamePrefix()) > 0);
        s.close();
        s.close(); // idempotent
        assertFalse(s.isRunning());
        assertTrue(idle.closedByServer(), "open connections are closed");
        assertTrue(waiting.closedByServer(), "a connection waiting for its delay is closed too");
        idle.close();
        waiting.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (threadsNamed(s.threadNamePrefix()) > 0 && System.nanoTime() < deadline) Thread.sleep(10);
        assertEquals(0, threadsNamed(s.threadNamePrefix()), "no server thread is left");
        for (int p : new int[] {port, echoPort}) {
            try (ServerSocket again = new ServerSocket()) {
                again.setReuseAddress(true);
                again.bind(new InetSocketAddress("127.0.0.1", p));
            }
        }
    }

    @Test
    void aPortInUseIsAOneLineErrorAndLeavesNothingRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            int before = threadsNamed("railyard-server-");
            UncheckedIOException e = assertThrows(UncheckedIOException.class,
                    () -> LatencyServer.start(ServerOptions.defaults().withPort(taken.getLocalPort())));
            assertTrue(e.getMessage().contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            assertTrue(e.getMessage().contains("choose another port"), e.getMessage());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (threadsNamed("railyard-server-") > before && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(before, threadsNamed("railyard-server-"));
        }
    }

    @Test
    void aHostThatDoesNotResolveIsNamedAsTheProblem() {
        // .invalid never resolves (RFC 6761); the bind then fails without a message of its own
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> LatencyServer.start(ServerOptions.defaults().withHost("nosuchhost.invalid").withEchoPort(-1)));
        assertTrue(e.getMessage().contains("cannot listen on nosuchhost.invalid:"), e.getMessage());
        assertFalse(e.getMessage().contains("null"), e.getMessage());
        assertTrue(e.getMessage().contains("give --host an address of this machine"), e.getMessage());
    }

    @Test
    void badOptionsAreOneLineErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ServerOptions.defaults().withThreads(3));
        assertEquals("threads must be 1 or 2, was 3", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.defaults().withPort(70000));
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.defaults().withSite(0, 1));
        assertThrows(IllegalArgumentException.class, () -> ServerOptions.defaults().withTransport("kqueue"));
    }

    @Test
    void nioTransportServesToo() throws IOException {
        try (LatencyServer s = LatencyServer.start(ServerOptions.defaults().withTransport("nio").withThreads(2))) {
            assertEquals("nio", s.transport());
            assertEquals(1024, RawHttp.get(s.port(), "/delay/5").body().length);
        }
        assertEquals("epoll", server.transport(), "epoll is available on this Linux machine");
    }

    static int threadsNamed(String prefix) {
        return (int) Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix) && t.isAlive()).count();
    }
}
