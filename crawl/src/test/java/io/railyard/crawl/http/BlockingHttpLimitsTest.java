package io.railyard.crawl.http;

import io.railyard.core.hostile.HostileHttpServer;
import io.railyard.loop.BodyLimitException;
import io.railyard.loop.DeadlineExceededException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The blocking client against a hostile server, on platform and virtual threads: a whole-request
 * deadline that a server dripping one byte at a time (in the body or in the head) or saying nothing
 * cannot stretch, though every byte resets the read timeout; and a body limit an endless body
 * cannot cross, counted without being kept.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BlockingHttpLimitsTest {

    /** Read timeout of a minute: only the deadline can end these requests in time. */
    private final BlockingHttp http = new BlockingHttp(BlockingHttp.Options.defaults().withTimeouts(Duration.ofSeconds(10), Duration.ofSeconds(60)));
    private HostileHttpServer server;

    @BeforeEach
    void start() {
        server = new HostileHttpServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private void awaitNoConnections() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.openConnections() > 0) {
            assertTrue(System.nanoTime() < deadline, "the client kept " + server.openConnections() + " connections it gave up on");
            Thread.sleep(20);
        }
    }

    @Test
    void aDrippingOrSilentServerCannotStretchARequestPastItsDeadline() throws Exception {
        for (ExecutorService threads : List.of(Executors.newFixedThreadPool(3), Executors.newVirtualThreadPerTaskExecutor())) {
            try (threads) {
                List<Future<BlockingHttp.Counted>> all = new ArrayList<>();
                for (String path : List.of("/drip/100000?every=50", "/drip-head?every=50", "/silent"))
                    all.add(threads.submit(() -> http.count(URI.create(server.url(path)), Duration.ofMillis(800), 1 << 20)));
                for (Future<BlockingHttp.Counted> f : all) {
                    ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS));
                    DeadlineExceededException d = assertInstanceOf(DeadlineExceededException.class, e.getCause());
                    assertTrue(d.getMessage().contains("deadline of 800 ms"), d.getMessage());
                }
            }
        }
        awaitNoConnections();
    }

    @Test
    void anEndlessBodyFailsAtItsLimitAndAnOrdinaryOneIsCounted() throws Exception {
        BodyLimitException e = assertThrows(BodyLimitException.class,
                () -> http.count(URI.create(server.url("/endless")), Duration.ofSeconds(30), 1 << 20));
        assertTrue(e.getMessage().contains("limit of 1048576 bytes"), e.getMessage());
        assertThrows(BodyLimitException.class, () -> http.count(URI.create(server.url("/huge/2000000")), Duration.ofSeconds(30), 1 << 20));
        BlockingHttp.Counted ok = http.count(URI.create(server.url("/huge/500000")), Duration.ofSeconds(30), 1 << 20);
        assertEquals(200, ok.status());
        assertEquals(500000, ok.bodyBytes());
        awaitNoConnections();
    }
}
