package io.railyard.bench.examples;

import io.railyard.core.Models;
import io.railyard.server.LatencyServer;
import io.railyard.server.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Runs every example job the report shows against a real latency server: each must add up the
 * same total, N times one body, so the sources the Code Complexity row counts are code that works.
 */
class ExamplesRunTest {

    private static final int N = 12, C = 4;
    private static LatencyServer server;
    private static String url;
    private static long expected;

    @BeforeAll
    static void startServer() throws Exception {
        server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1));
        url = server.origin() + "/delay/5";
        try (InputStream in = URI.create(url).toURL().openStream()) {
            expected = (long) N * in.readAllBytes().length;
        }
        assertTrue(expected > 0, "the server answers with a body");
    }

    @AfterAll
    static void stopServer() {
        if (server != null) server.close();
    }

    @Test
    void threads() throws Exception {
        assertEquals(expected, ThreadsExample.run(url, N, C));
    }

    @Test
    void virtual() throws Exception {
        assertEquals(expected, VirtualExample.run(url, N, C));
    }

    @Test
    void loop() throws Exception {
        assertEquals(expected, LoopExample.run(url, N, C));
    }

    @Test
    void processes() throws Exception {
        assertEquals(expected, ProcessesExample.run(url, N, 2));
    }

    @Test
    void cluster() throws Exception {
        assumeTrue(Models.names().contains("cluster"), "the cluster model is not on this module's class path (the cli module runs it)");
        assertEquals(expected, ClusterExample.run(url, N, C));
    }

    @Test
    void cpythonExamples(@TempDir Path dir) throws Exception {
        assumeTrue(io.railyard.bench.compare.PythonModels.probeVersion("python3") != null, "needs python3");
        for (String model : io.railyard.bench.compare.PythonModels.MODELS) {
            ExampleSources.Example e = ExampleSources.of(model, "python");
            Path script = dir.resolve(e.file());
            Files.writeString(script, e.source(), StandardCharsets.UTF_8);
            Process p = new ProcessBuilder("python3", script.toString(), url, Integer.toString(N), Integer.toString(C))
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), model + " finished");
            assertEquals(0, p.exitValue(), model + ": " + out);
            assertEquals(Long.toString(expected), out, model);
        }
    }
}
