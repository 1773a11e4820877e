package io.railyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.railyard.bench.harness.ResultsJson;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code run io}, {@code run connections} and {@code serve}: results, and one-line errors for bad input. */
class IoCommandsTest {

    record Outcome(int code, String out, String err) {}

    static Outcome railyard(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void runIoReportsTheAgreedFieldsWithItsLimit() throws Exception {
        Outcome o = railyard("run", "io", "--model", "virtual", "-n", "200", "-c", "50", "--latency-ms", "20", "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode j = ResultsJson.MAPPER.readTree(o.out());
        assertEquals("io", j.get("work").asText());
        assertEquals(200, j.get("ok").asLong());
        assertEquals(4 * 0.020, j.get("limit_s").asDouble(), 1e-9);
        assertTrue(j.get("wall_s").asDouble() >= j.get("limit_s").asDouble());
    }

    @Test
    void aZeroLatencyHasNoLimitToCompareWith() throws Exception {
        Outcome j = railyard("run", "io", "--model", "loop", "-n", "20", "-c", "10", "--latency-ms", "0", "--json");
        assertEquals(0, j.code(), j.err());
        JsonNode n = ResultsJson.MAPPER.readTree(j.out());
        assertEquals(0.0, n.get("limit_s").asDouble());
        assertTrue(n.get("wall_vs_limit").isNull(), "null, not the string Infinity: " + n.get("wall_vs_limit"));
        Outcome t = railyard("run", "io", "--model", "loop", "-n", "20", "-c", "10", "--latency-ms", "0");
        assertTrue(t.out().contains("(no ratio to a limit of 0)") && !t.out().contains("Infinity"), t.out());
    }

    @Test
    void runConnectionsHoldsThemAll() throws Exception {
        Outcome o = railyard("run", "connections", "--model", "threads", "-c", "100", "--rounds", "2", "--pause-ms", "20", "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode j = ResultsJson.MAPPER.readTree(o.out());
        assertEquals("connections", j.get("work").asText());
        assertEquals(100, j.get("ok").asLong());
    }

    @Test
    void badInputIsOneLineAndExitCode2() throws Exception {
        for (String[] args : new String[][] {
                {"run", "io", "-n", "0"},
                {"run", "io", "--latency-ms", "-1"},
                {"run", "io", "--url", "ftp://x/"},
                {"run", "io", "--url", "http://127.0.0.1:99999/"},
                {"run", "io", "-n", "2000000000"},
                {"run", "cpu", "-k", "1", "-m", "2000000000"},
                {"run", "connections", "--pause-ms", "0"},
                {"run", "connections", "--pause-ms", "2147483647"},
                {"serve", "--threads", "3"},
                {"serve", "--port", "70000"},
                {"serve", "--warmup-requests", "-1"},
                {"serve", "--parent-pid", "999999999"}}) {
            Outcome o = railyard(args);
            assertEquals(2, o.code(), String.join(" ", args) + ": " + o.err());
            assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
            assertFalse(o.err().contains("Exception"), o.err());
        }
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Outcome o = railyard("serve", "--port", String.valueOf(taken.getLocalPort()), "--echo-port", "0");
            assertEquals(2, o.code(), o.err());
            assertTrue(o.err().contains("choose another port"), o.err());
        }
    }

}
