package io.railyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.railyard.bench.harness.ResultsJson;
import io.railyard.cli.CliTest.Outcome;
import io.railyard.core.hostile.HostileHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static io.railyard.cli.CliTest.railyard;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@code run io} against a hostile server, from the command line, bounded by outcome: a server
 * dripping one byte at a time cannot hold a run past its requests' deadline, an endless body
 * cannot hold it past the body limit, and the JSON says why each request failed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class HostileRunsTest {

    private HostileHttpServer server;

    @BeforeEach
    void start() {
        server = new HostileHttpServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static JsonNode json(Outcome o) throws Exception {
        return ResultsJson.MAPPER.readTree(o.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {"loop", "threads", "virtual"})
    void aDrippingServerFailsEachRequestAtItsDeadlineWithTheReason(String model) throws Exception {
        Outcome o = railyard("run", "io", "--model", model, "-n", "4", "-c", "2", "--url", server.url("/drip/100000?every=50"),
                "--timeout-ms", "1000", "--json");
        assertEquals(1, o.code(), o.err());
        JsonNode j = json(o);
        assertEquals(4, j.get("failed").asLong());
        assertEquals(4, j.get("failures").get("timeout").asLong(), j.toString());
        assertTrue(o.err().contains("failures 4 timeout"), o.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {"loop", "threads"})
    void anEndlessBodyFailsEachRequestAtTheBodyLimit(String model) throws Exception {
        Outcome o = railyard("run", "io", "--model", model, "-n", "20", "-c", "20", "--url", server.url("/endless"),
                "--max-body-bytes", "65536", "--json");
        assertEquals(1, o.code(), o.err());
        JsonNode j = json(o);
        assertEquals(20, j.get("failures").get("body limit").asLong(), j.toString());
        assertTrue(j.get("params").get("max_body_bytes").asLong() == 65536, j.toString());
    }

    @Test
    void refusedAndUnknownHostsAreCountedByReason() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Outcome o = railyard("run", "io", "--model", "threads", "-n", "3", "-c", "3", "--url", "http://127.0.0.1:" + closed + "/", "--json");
        assertEquals(3, json(o).get("failures").get("refused").asLong(), o.out());
        o = railyard("run", "io", "--model", "loop", "-n", "3", "-c", "3", "--url", "http://no-such-host.invalid/", "--json");
        assertEquals(3, json(o).get("failures").get("unknown host").asLong(), o.out());
    }
}
