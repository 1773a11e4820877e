package io.railyard.crawl.http;

import io.railyard.server.LatencyServer;
import io.railyard.server.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The blocking models' HTTP client against the real latency server. */
class BlockingHttpTest {

    static LatencyServer server;
    static final BlockingHttp http = new BlockingHttp();

    @BeforeAll
    static void start() {
        server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void getsTheWholeBodyAndTheHeaders() throws IOException {
        BlockingHttp.Response r = http.get(server.uri("/delay/20?bytes=3000"));
        assertEquals(200, r.status());
        assertEquals(3000, r.body().length);
        assertEquals("3000", r.header("Content-Length"));
        assertFalse(r.truncated());
    }

    @Test
    void errorStatusesReturnTheirBodyAndRedirectsAreNotFollowed() throws IOException {
        BlockingHttp.Response missing = http.get(server.uri("/nope"));
        assertEquals(404, missing.status());
        assertTrue(new String(missing.body()).startsWith("404 not found"));
        assertEquals(503, http.get(server.uri("/status/503")).status());
        BlockingHttp.Response moved = http.get(server.uri("/redirect/2"));
        assertEquals(302, moved.status());
        assertEquals("/redirect/1", moved.header("location"));
    }

    @Test
    void longBodiesAreCutAndTheNextRequestStillWorks() throws IOException {
        BlockingHttp small = new BlockingHttp(BlockingHttp.Options.defaults().withMaxBodyBytes(1000));
        BlockingHttp.Response cut = small.get(server.uri("/bytes/100000"));
        assertTrue(cut.truncated());
        assertEquals(1000, cut.body().length);
        assertEquals(10, small.get(server.uri("/bytes/10")).body().length);
    }

    @Test
    void connectionsAreKeptAlive() throws IOException {
        try (LatencyServer s = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1))) {
            for (int i = 0; i < 200; i++) assertEquals(200, http.get(s.uri("/bytes/100")).status());
            assertEquals(200, s.stats().requests().total());
            assertTrue(s.stats().connections().total() <= 2, "200 sequential GETs used " + s.stats().connections().total() + " connections");
        }
    }

    @Test
    void manyVirtualThreadsShareOneClient() throws Exception {
        try (LatencyServer s = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1));
             ExecutorService threads = Executors.newFixedThreadPool(100, Thread.ofVirtual().factory())) {
            List<Future<Integer>> fs = new ArrayList<>();
            for (int i = 0; i < 1000; i++) fs.add(threads.submit(() -> http.get(s.uri("/delay/10")).body().length));
            for (Future<Integer> f : fs) assertEquals(1024, f.get());
            assertEquals(1000, s.stats().requests().total());
            assertTrue(s.stats().requests().peak() <= 100, "at most 100 in flight, saw " + s.stats().requests().peak());
            assertTrue(s.stats().connections().total() <= 200, "connections are reused, opened " + s.stats().connections().total());
        }
    }

    @Test
    void timeoutsAndRefusedConnectionsAreIOExceptions() throws IOException {
        BlockingHttp impatient = new BlockingHttp(BlockingHttp.Options.defaults().withTimeouts(Duration.ofSeconds(5), Duration.ofMillis(200)));
        assertThrows(SocketTimeoutException.class, () -> impatient.get(server.uri("/delay/5000")));
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        assertThrows(IOException.class, () -> http.get(URI.create("http://127.0.0.1:" + closedPort + "/")));
        assertThrows(IllegalArgumentException.class, () -> http.get(URI.create("ftp://127.0.0.1/x")));
    }
}
