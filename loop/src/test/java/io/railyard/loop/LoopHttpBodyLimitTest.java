package io.railyard.loop;

import io.railyard.core.PoolSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link LoopHttpRequest#withBodyLimit}: long bodies are cut, not failed, and the client goes on. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopHttpBodyLimitTest {

    private RawHttpServer server;
    private LoopPool pool;

    @BeforeEach
    void start() throws IOException {
        server = new RawHttpServer();
        pool = new LoopPool(PoolSpec.of(4));
    }

    @AfterEach
    void stop() throws Exception {
        pool.shutdownNow();
        assertTrue(pool.awaitTermination(Duration.ofSeconds(30)));
        server.close();
    }

    private LoopHttpResponse send(LoopHttpRequest request) throws Exception {
        return pool.submitAsync(ctx -> ctx.facility(LoopHttpClient.class).send(request)).get(30, TimeUnit.SECONDS);
    }

    @Test
    void aLongBodyIsCutAtTheLimitInEveryFraming() throws Exception {
        LoopHttpResponse whole = send(LoopHttpRequest.get(server.url("/big")));
        assertFalse(whole.truncated());
        for (String path : new String[] {"/big", "/chunked", "/close"}) {
            LoopHttpResponse full = send(LoopHttpRequest.get(server.url(path)));
            int limit = full.bodyLength() / 2;
            LoopHttpResponse cut = send(LoopHttpRequest.get(server.url(path)).withBodyLimit(limit));
            assertEquals(200, cut.status(), path);
            assertTrue(cut.truncated(), path);
            assertEquals(limit, cut.bodyLength(), path);
            assertArrayEquals(java.util.Arrays.copyOf(full.body(), limit), cut.body(), path);
        }
    }

    @Test
    void aBodyWithinTheLimitIsWholeAndTheConnectionIsKept() throws Exception {
        LoopHttpResponse r = send(LoopHttpRequest.get(server.url("/length")).withBodyLimit(1000));
        assertFalse(r.truncated());
        assertEquals("hello world", r.bodyText());
        int connections = server.connections();
        send(LoopHttpRequest.get(server.url("/length")).withBodyLimit(1000));
        assertEquals(connections, server.connections(), "kept alive");
    }

    @Test
    void aCutResponseClosesItsConnectionAndTheNextRequestWorks() throws Exception {
        send(LoopHttpRequest.get(server.url("/big")).withBodyLimit(10));
        LoopHttpResponse next = send(LoopHttpRequest.get(server.url("/length")));
        assertEquals("hello world", next.bodyText());
    }
}
