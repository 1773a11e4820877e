package io.railyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.railyard.bench.harness.ResultsJson;
import io.railyard.cli.CliTest.Outcome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

import static io.railyard.cli.CliTest.railyard;
import static org.junit.jupiter.api.Assertions.*;

/** The cluster model from the command line: its embedded member, --cluster and the member command's bad input. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterCommandsTest {

    @Test
    void runCpuOnTheClusterModelStartsAnEmbeddedMember() throws Exception {
        Outcome o = railyard("run", "cpu", "--model", "cluster", "-k", "20", "-m", "6", "-c", "2", "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode j = ResultsJson.MAPPER.readTree(o.out());
        assertEquals("cluster", j.get("model").asText());
        assertEquals(6, j.get("ok").asLong());
    }

    @Test
    void anUnreachableClusterIsOneLineAndExitTwoInBoundedTime() throws Exception {
        String nowhere = "127.0.0.1:" + freePort();
        long t0 = System.nanoTime();
        Outcome o = railyard("run", "cpu", "--cluster", nowhere, "--model-option", "connectTimeoutMs=1000", "-k", "20", "-m", "2");
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(60), "gave up in bounded time");
        assertEquals(2, o.code(), o.err());
        assertEquals(1, o.err().lines().count(), "one line, no stack trace:\n" + o.err());
        assertTrue(o.err().contains("cannot reach") && o.err().contains(nowhere), o.err());
    }

    @Test
    void clusterWithAnotherModelOrABadAddressIsRefused() {
        Outcome o = railyard("run", "cpu", "--model", "threads", "--cluster", "127.0.0.1:5701");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("--cluster") && o.err().contains("--model cluster"), o.err());
        o = railyard("run", "cpu", "--cluster", "127.0.0.1:port");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("127.0.0.1:port") && o.err().contains("host:port"), o.err());
    }

    @Test
    void memberRefusesBadInputWithOneLine() throws Exception {
        Outcome o = railyard("member", "--join", "nowhere:x");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("nowhere:x"), o.err());
        o = railyard("member", "--threads", "0");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("threads"), o.err());
        o = railyard("member", "--port", "0", "--join", "127.0.0.1:" + freePort(), "--cluster-name", "railyard-cli-test");
        assertEquals(2, o.code(), o.out() + o.err());
        assertTrue(o.err().contains("could not join") && o.err().lines().count() == 1, o.err());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
