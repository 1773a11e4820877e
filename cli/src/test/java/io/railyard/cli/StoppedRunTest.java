package io.railyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.railyard.bench.harness.ResultsJson;
import io.railyard.core.hostile.HostileHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A long run in a process of its own, its stderr a pipe (no terminal): it shows progress every few
 * seconds, and SIGTERM stops it with its partial summary and its JSON, {@code "stopped": true},
 * instead of losing everything. Bounded by outcome.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class StoppedRunTest {

    @Test
    void sigtermPrintsThePartialSummaryAndJsonOfALongRunThatShowedProgressWithoutATerminal() throws Exception {
        try (HostileHttpServer server = new HostileHttpServer()) {
            // 100 requests, 2 at a time, each a 2-byte body dripped over ~1 s: ~50 s of work
            Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "io", "--model", "threads",
                    "-n", "100", "-c", "2", "--url", server.url("/drip/2?every=500"), "--json").start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(run.getInputStream()));
            BufferedReader err = new BufferedReader(new InputStreamReader(run.getErrorStream(), StandardCharsets.UTF_8));
            String line;
            StringBuilder said = new StringBuilder();
            while ((line = err.readLine()) != null) {
                said.append(line).append('\n');
                if (line.contains("tasks done")) break; // a progress line, though stderr is a pipe
            }
            assertNotNull(line, "no progress line before the run ended:\n" + said);
            run.toHandle().destroy(); // SIGTERM (Process.destroy would also close our ends of its pipes)
            assertTrue(run.waitFor(60, TimeUnit.SECONDS), "the run ignored SIGTERM");
            while ((line = err.readLine()) != null) said.append(line).append('\n');
            List<String> lines = out.get(10, TimeUnit.SECONDS).lines().toList();
            assertEquals(1, lines.size(), "one JSON object on stdout:\n" + lines + "\nstderr:\n" + said);
            JsonNode j = ResultsJson.MAPPER.readTree(lines.get(0));
            assertTrue(j.get("stopped").asBoolean(), j.toString());
            assertEquals(100, j.get("n").asLong());
            assertTrue(j.get("ok").asLong() > 0 && j.get("ok").asLong() < 100, j.toString());
            assertTrue(said.toString().contains("STOPPED"), said.toString());
        }
    }

    /** Requests that never end on their own (a drip of hours, a deadline of ten minutes) do not hold the summary back. */
    @Test
    void aStopIsPrintedPromptlyThoughTheRunningRequestsWouldNeverEnd() throws Exception {
        try (HostileHttpServer server = new HostileHttpServer()) {
            Process run = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(), "run", "io", "--model", "threads",
                    "-n", "10", "-c", "2", "--url", server.url("/drip/100000?every=500"), "--timeout-ms", "600000", "--json").start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(run.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(run.getErrorStream()));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (server.openConnections() < 2) { // both requests are out, dripping
                assertTrue(System.nanoTime() < deadline && run.isAlive(), "the requests did not start");
                Thread.sleep(20);
            }
            run.toHandle().destroy(); // SIGTERM
            assertTrue(run.waitFor(60, TimeUnit.SECONDS), "the run ignored SIGTERM");
            JsonNode j = ResultsJson.MAPPER.readTree(out.get(10, TimeUnit.SECONDS));
            assertTrue(j.get("stopped").asBoolean(), j.toString());
            assertEquals(10, j.get("failures").get("cancelled").asLong(), j.toString());
            assertTrue(err.get(10, TimeUnit.SECONDS).contains("STOPPED"));
        }
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
