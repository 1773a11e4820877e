package io.railyard.loop;

import io.railyard.core.PoolSpec;
import io.railyard.core.hostile.HostileHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The loop's HTTP client against a hostile server: a whole-request deadline that a server dripping
 * one byte at a time cannot stretch, a body limit an endless body cannot cross, and memory bounded
 * per run: the bodies of all requests in flight together stay under the client's limit, whatever
 * the concurrency.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class LoopHttpLimitsTest {

    private static final long BUFFER_LIMIT = 8L << 20;

    private HostileHttpServer server;
    private LoopPool pool;

    @BeforeEach
    void start() {
        server = new HostileHttpServer();
        // the read timeout is long: only the deadline can end a drip
        pool = new LoopPool(PoolSpec.of(64).withOptions(Map.of("http.readTimeoutMs", "60000",
                "http.maxBufferedBytes", Long.toString(BUFFER_LIMIT))));
    }

    @AfterEach
    void stop() throws Exception {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(Duration.ofSeconds(30)));
        server.close();
    }

    private CompletableFuture<LoopHttpResponse> send(LoopHttpRequest request) {
        return pool.submitAsync(ctx -> ctx.facility(LoopHttpClient.class).send(request));
    }

    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(60, TimeUnit.SECONDS),
                "the request did not fail within 60 s");
        return e.getCause();
    }

    private void awaitNoConnections() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.openConnections() > 0) {
            assertTrue(System.nanoTime() < deadline, "the client kept " + server.openConnections() + " connections it gave up on");
            Thread.sleep(20);
        }
    }

    @Test
    void aDrippingServerCannotStretchARequestPastItsDeadline() throws Exception {
        for (String path : List.of("/drip/100000?every=50", "/drip-head?every=50", "/silent")) {
            Throwable t = failure(send(LoopHttpRequest.get(server.url(path)).withDeadline(Duration.ofMillis(800))));
            DeadlineExceededException e = assertInstanceOf(DeadlineExceededException.class, t, path);
            assertTrue(e.getMessage().contains("deadline of 800 ms"), e.getMessage());
        }
        awaitNoConnections();
    }

    @Test
    void anEndlessBodyIsCountedUpToItsLimitAndNeverKept() throws Exception {
        List<CompletableFuture<LoopHttpResponse>> all = new ArrayList<>();
        for (int i = 0; i < 32; i++) all.add(send(LoopHttpRequest.get(server.url("/endless")).withCountedBody(1 << 20)));
        for (CompletableFuture<LoopHttpResponse> f : all) {
            BodyLimitException e = assertInstanceOf(BodyLimitException.class, failure(f));
            assertTrue(e.getMessage().contains("limit of 1048576 bytes"), e.getMessage());
        }
        assertEquals(0, pool.http().peakBufferedBytes(), "a counted body is never buffered");
        LoopHttpResponse small = send(LoopHttpRequest.get(server.url("/huge/5000")).withCountedBody(1 << 20)).get(30, TimeUnit.SECONDS);
        assertEquals(5000, small.bodyLength());
        assertEquals(0, small.body().length);
        awaitNoConnections();
    }

    @Test
    void theBodiesInFlightTogetherStayUnderTheClientsLimitWhateverTheConcurrency() throws Exception {
        List<CompletableFuture<LoopHttpResponse>> all = new ArrayList<>();
        for (int i = 0; i < 40; i++) all.add(send(LoopHttpRequest.get(server.url("/endless"))));
        for (CompletableFuture<LoopHttpResponse> f : all) {
            BodyLimitException e = assertInstanceOf(BodyLimitException.class, failure(f));
            assertTrue(e.getMessage().contains("http.maxBufferedBytes"), e.getMessage());
        }
        long peak = pool.http().peakBufferedBytes();
        assertTrue(peak <= BUFFER_LIMIT && peak > 0, "peak " + peak + " of " + BUFFER_LIMIT);
        // what is left in flight afterwards is nothing, and a normal body still fits
        LoopHttpResponse r = send(LoopHttpRequest.get(server.url("/huge/100000"))).get(30, TimeUnit.SECONDS);
        assertEquals(100000, r.body().length);
        awaitNoConnections();
    }
}
