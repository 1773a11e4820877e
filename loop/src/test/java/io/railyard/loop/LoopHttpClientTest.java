package io.railyard.loop;

import io.railyard.core.PoolSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The HTTP client against {@link RawHttpServer}, which writes every framing byte by byte. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopHttpClientTest {

    private RawHttpServer server;
    private LoopPool pool;

    @BeforeEach
    void start() throws IOException {
        server = new RawHttpServer();
        pool = new LoopPool(PoolSpec.of(16).withOptions(Map.of("http.readTimeoutMs", "500")));
    }

    @AfterEach
    void stop() throws Exception {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(java.time.Duration.ofSeconds(30)));
        server.close();
    }

    private LoopHttpResponse get(String path) throws Exception {
        return send(LoopHttpRequest.get(server.url(path)));
    }

    /** Sends from a task on the loop, as a user would. */
    private LoopHttpResponse send(LoopHttpRequest request) throws Exception {
        return pool.submitAsync(ctx -> ctx.facility(LoopHttpClient.class).send(request)).get(30, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
        return e.getCause();
    }

    @Test
    void contentLengthBody() throws Exception {
        LoopHttpResponse r = get("/length");
        assertEquals(200, r.status());
        assertEquals("HTTP/1.1", r.version());
        assertEquals("hello world", r.bodyText());
        assertEquals("text/plain", r.header("content-type"));
    }

    @Test
    void chunkedBodyWithExtensionAndTrailer() throws Exception {
        LoopHttpResponse r = get("/chunked");
        assertEquals(200, r.status());
        assertEquals("hello chunked world", r.bodyText());
        // the connection stays usable after a chunked body: the next request reuses it
        assertEquals("/after", get("/after").bodyText());
        assertEquals(1, server.connections());
    }

    @Test
    void connectionCloseDelimitedBody() throws Exception {
        LoopHttpResponse r = get("/close");
        assertEquals("until the server closes", r.bodyText());
        LoopHttpResponse old = get("/http10");
        assertEquals("HTTP/1.0", old.version());
        assertEquals("old style body", old.bodyText());
        // a close-delimited body cannot leave its connection reusable
        assertEquals("/next", get("/next").bodyText());
        assertEquals(3, server.connections());
    }

    @Test
    void largeBodyArrivingInPieces() throws Exception {
        byte[] body = get("/big").body();
        assertEquals(1 << 20, body.length);
        for (int i = 0; i < 16; i++) assertEquals('a' + i, body[i * (64 << 10) + 17], "block " + i);
    }

    @Test
    void headHasNoBodyWhateverItsContentLength() throws Exception {
        LoopHttpResponse head = send(LoopHttpRequest.of("HEAD", URI.create(server.url("/head")), Map.of(), new byte[0]));
        assertEquals("1000", head.header("content-length"));
        assertEquals(0, head.bodyLength());
        assertEquals(1000, get("/head").bodyLength()); // same connection, still in step
        assertEquals(0, get("/nocontent").bodyLength());
        assertEquals(1, server.connections());
    }

    @Test
    void informationalResponseIsSkipped() throws Exception {
        LoopHttpResponse r = get("/continue");
        assertEquals(200, r.status());
        assertEquals("ok", r.bodyText());
    }

    @Test
    void postSendsItsBodyWithContentLength() throws Exception {
        byte[] body = "{\"a\":1}".getBytes(StandardCharsets.UTF_8);
        LoopHttpResponse r = send(LoopHttpRequest.of("POST", URI.create(server.url("/posted")), Map.of("Content-Type", "application/json"), body));
        assertEquals("/posted", r.bodyText());
        assertEquals("/again", get("/again").bodyText()); // the server consumed exactly the body: still in step
        assertEquals(1, server.connections());
    }

    @Test
    void keepAliveReusesConnections() throws Exception {
        LoopHttpRequest req = LoopHttpRequest.get(server.url("/reuse"));
        for (int i = 0; i < 20; i++) assertEquals("/reuse", send(req).bodyText());
        assertEquals(1, server.connections());
        assertEquals(1, pool.http().connectionsOpened());
        // ten at once need ten connections; ten more at once reuse them
        for (int round = 0; round < 2; round++) {
            List<CompletableFuture<LoopHttpResponse>> fs = new ArrayList<>();
            for (int i = 0; i < 10; i++) fs.add(pool.http().send(req));
            for (CompletableFuture<LoopHttpResponse> f : fs) assertEquals(200, f.get(30, TimeUnit.SECONDS).status());
        }
        assertTrue(server.connections() <= 10, server.connections() + " connections for 10 in flight");
        assertEquals(server.connections(), pool.http().connectionsOpened());
        assertEquals(40, pool.http().requestsSent());
    }

    @Test
    void requestsBeyondTheConnectionLimitWaitForAConnection() throws Exception {
        try (LoopPool limited = new LoopPool(PoolSpec.of(16).withOptions(Map.of("http.maxConnectionsPerHost", "2", "http.maxIdlePerHost", "1")))) {
            // all 12 asked for in one callback on the loop, so that none is answered before the last
            // is queued (asked from this thread, early answers could leave both connections idle, one
            // closed as surplus, and a third opened for the later requests: never more than 2 at once,
            // but 3 in all)
            List<CompletableFuture<LoopHttpResponse>> fs = limited.submitAsync(ctx -> {
                LoopHttpClient http = ctx.facility(LoopHttpClient.class);
                List<CompletableFuture<LoopHttpResponse>> all = new ArrayList<>();
                for (int i = 0; i < 12; i++) all.add(http.get(server.url("/limited")));
                return CompletableFuture.completedFuture(all);
            }).get(30, TimeUnit.SECONDS);
            for (CompletableFuture<LoopHttpResponse> f : fs) assertEquals("/limited", f.get(30, TimeUnit.SECONDS).bodyText());
            assertEquals(2, server.connections(), "12 requests through at most 2 connections");
            int idle = limited.submitAsync(ctx -> CompletableFuture.completedFuture(ctx.facility(LoopHttpClient.class).idleConnections()))
                    .get(30, TimeUnit.SECONDS);
            assertEquals(1, idle, "one idle connection kept, the other closed");
        }
    }

    @Test
    void aRequestOnAConnectionTheServerDroppedIsRetriedOnce() throws Exception {
        get("/first");
        LoopHttpResponse r = send(LoopHttpRequest.of("GET", URI.create(server.url("/retried")), Map.of("X-Drop-If-Reused", "1"), new byte[0]));
        assertEquals("/retried", r.bodyText());
        assertEquals(2, server.connections());
        // a POST is not idempotent: the same drop fails it instead of sending it twice
        LoopHttpRequest post = LoopHttpRequest.of("POST", URI.create(server.url("/post")), Map.of("X-Drop-If-Reused", "1"), new byte[]{1});
        Throwable e = failure(pool.http().send(post));
        assertInstanceOf(IOException.class, e);
        assertTrue(e.getMessage().contains("closed before the response"), e.getMessage());
    }

    @Test
    void readTimeoutFailsTheRequestAndFreesTheConnection() throws Exception {
        Throwable e = failure(pool.http().get(server.url("/silent")));
        assertInstanceOf(SocketTimeoutException.class, e);
        assertTrue(e.getMessage().contains("read timeout"), e.getMessage());
        assertEquals("/fine", get("/fine").bodyText());
    }

    @Test
    void truncatedBodyIsAnError() throws Exception {
        Throwable e = failure(pool.http().get(server.url("/truncated")));
        assertInstanceOf(IOException.class, e);
    }

    @Test
    void connectRefusedNamesTheOrigin() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Throwable e = failure(pool.http().get("http://127.0.0.1:" + port + "/x"));
        assertInstanceOf(ConnectException.class, e);
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void connectTimeoutWhenTheServerNeverAccepts() throws Exception {
        LoopPool impatient = new LoopPool(PoolSpec.of(1).withOptions(Map.of("http.connectTimeoutMs", "300")));
        List<Socket> fillers = new ArrayList<>();
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // fill the accept queue (backlog 1) so that further SYNs are dropped, not answered
            for (int i = 0; i < 4; i++) {
                Socket f = new Socket();
                try {
                    f.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort()), 200);
                } catch (IOException full) {
                    // the queue is full: exactly what we wanted
                }
                fillers.add(f);
            }
            Throwable e = failure(impatient.http().get("http://127.0.0.1:" + s.getLocalPort() + "/x"));
            assertInstanceOf(ConnectException.class, e);
            assertTrue(e.getMessage().contains("timed out"), e.getMessage());
        } finally {
            for (Socket f : fillers) f.close();
            impatient.close();
        }
    }

    @Test
    void cancellingARequestClosesItsConnection() throws Exception {
        CompletableFuture<LoopHttpResponse> f = pool.http().get(server.url("/silent"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.requests() == 0 && System.nanoTime() < deadline) Thread.sleep(5);
        assertTrue(f.cancel(true));
        assertEquals("/ok", get("/ok").bodyText());
        assertEquals(2, server.connections(), "the abandoned connection was not reused");
    }

    @Test
    void badUrlsAreRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LoopHttpRequest.get("ftp://x/y"));
        assertTrue(e.getMessage().contains("http:// or https://"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LoopHttpRequest.get("http:///nohost"));
        java.net.URI u = java.net.URI.create("http://h/");
        for (String method : new String[] {"", "GE T", "GET\r\n", "G\u00c9T"}) {
            e = assertThrows(IllegalArgumentException.class, () -> LoopHttpRequest.of(method, u, java.util.Map.of(), new byte[0]), method);
            assertTrue(e.getMessage().contains("is not an HTTP method"), e.getMessage());
        }
        assertEquals("PROPFIND", LoopHttpRequest.of("PROPFIND", u, java.util.Map.of(), new byte[0]).method());
    }

    @Test
    void responsesCompleteOnTheLoopThread() throws Exception {
        Thread loopThread = pool.submitAsync(ctx -> CompletableFuture.completedFuture(Thread.currentThread())).get();
        // the continuation is attached on the loop, inside the task, so it cannot miss the completion
        // and run on the attaching thread instead (as it could if attached from this test thread)
        Thread seen = pool.submitAsync(ctx -> ctx.facility(LoopHttpClient.class).get(server.url("/t"))
                .thenApply(r -> Thread.currentThread())).get(30, TimeUnit.SECONDS);
        assertSame(loopThread, seen);
    }
}
