package io.railyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.railyard.bench.workload.OpenFiles;
import io.railyard.bench.harness.ResultsJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class CliTest {

    record Outcome(int code, String out, String err) {}

    static Outcome railyard(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"threads", "virtual"})
    void runCpuPrintsExactlyOneJsonObjectWithTheAgreedFields(String model) throws Exception {
        Outcome o = railyard("run", "cpu", "--model", model, "-k", "22", "-m", "12", "-c", "2", "--json");
        assertEquals(0, o.code(), o.err());
        List<String> lines = o.out().lines().toList();
        assertEquals(1, lines.size(), "stdout must be one JSON object:\n" + o.out());
        JsonNode j = ResultsJson.MAPPER.readTree(lines.get(0));
        for (String f : List.of("work", "model", "n", "c", "wall_s", "cpu_s", "peak_rss_bytes", "limit_s", "ok", "failed"))
            assertTrue(j.has(f), "missing field " + f + " in " + j);
        assertEquals("cpu", j.get("work").asText());
        assertEquals(model, j.get("model").asText());
        assertEquals(12, j.get("n").asLong());
        assertEquals(2, j.get("c").asInt());
        assertEquals(12, j.get("ok").asLong());
        assertEquals(0, j.get("failed").asLong());
        assertTrue(j.get("wall_s").asDouble() > 0);
        assertTrue(j.get("limit_s").asDouble() > 0);
        assertTrue(j.get("peak_rss_bytes").asLong() > 10_000_000, "a JVM uses more than 10 MB");
        assertEquals(1, j.get("trials").size());
        assertTrue(o.err().contains("cpu on " + model), "the human summary goes to stderr with --json");
    }

    @Test
    void theWholeProcessFiguresStandBesideTheTrials() throws Exception {
        Outcome o = railyard("run", "cpu", "-k", "20", "-m", "4", "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode j = ResultsJson.MAPPER.readTree(o.out());
        for (String f : List.of("process_wall_s", "process_cpu_s", "process_peak_rss_bytes"))
            assertTrue(j.has(f), "missing field " + f + " in " + j);
        // the process started before the trial and has done more than it
        assertTrue(j.get("process_wall_s").asDouble() >= j.get("wall_s").asDouble(), j.toString());
        assertTrue(j.get("process_cpu_s").asDouble() >= j.get("cpu_s").asDouble() - 0.02, j.toString());
        assertTrue(j.get("process_peak_rss_bytes").asLong() >= j.get("peak_rss_bytes").asLong(), j.toString());
        assertTrue(o.err().contains("process  wall"), "the summary prints the whole process too: " + o.err());
    }

    @Test
    void trialsAreMediansAndEachTrialIsKept() throws Exception {
        Outcome o = railyard("run", "cpu", "-k", "20", "-m", "6", "--warmup", "1", "--trials", "3", "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode j = ResultsJson.MAPPER.readTree(o.out());
        assertEquals(3, j.get("trials").size());
        assertEquals("warm", j.get("temperature").asText());
        double[] walls = new double[3];
        for (int i = 0; i < 3; i++) walls[i] = j.get("trials").get(i).get("wall_s").asDouble();
        java.util.Arrays.sort(walls);
        assertEquals(walls[1], j.get("wall_s").asDouble(), 1e-12, "wall_s is the median trial");
    }

    @Test
    void versionIsTheBuildsVersion() throws Exception {
        String pom = java.nio.file.Files.readString(NoWorkPeriodsTest.projectRoot().resolve("pom.xml"));
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("<artifactId>railyard-parent</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
        assertTrue(m.find(), "the parent pom names its version");
        Outcome o = railyard("--version");
        assertEquals(0, o.code(), o.err());
        assertEquals("railyard " + m.group(1), o.out().strip());
    }

    @Test
    void humanSummaryWithoutJson() {
        Outcome o = railyard("run", "cpu", "-k", "20", "-m", "4");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("limit"), o.out());
        // four fib(20) calls take well under 10 ms: the limit is given in ms, not as 0.000 s
        assertTrue(java.util.regex.Pattern.compile("limit \\d+\\.\\d{3} ms ").matcher(o.out()).find(), o.out());
        assertFalse(o.out().trim().startsWith("{"));
        // two fib(5) calls, ~15 calls of ~2 ns each: microseconds
        Outcome tiny = railyard("run", "cpu", "-k", "5", "-m", "2");
        assertTrue(java.util.regex.Pattern.compile("limit \\d+\\.\\d{3} \u00b5s ").matcher(tiny.out()).find(), tiny.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "run cpu --model nope|unknown model 'nope'",
            "run cpu -k 0|-k must be a positive number",
            "run cpu -m -5|-m must be a positive number",
            "run cpu -c 0|-c must be a positive number",
            "run cpu -k abc|'abc' is not an int",
            "run cpu -k 99|-k must be at most 50",
            "run cpu --trials 0|--trials must be a positive number",
            "frobnicate|'frobnicate'",
            "run frobnicate|'frobnicate'",
            "run|a workload is required",
            "|a command is required",
    })
    void badInputIsOneLineAndExitCode2(String row) {
        String[] parts = row.split("\\|", 2);
        String[] args = parts[0].isEmpty() ? new String[0] : parts[0].split(" ");
        Outcome o = railyard(args);
        assertEquals(2, o.code(), "exit code for '" + parts[0] + "': " + o.err());
        assertEquals(1, o.err().lines().count(), "one line, got:\n" + o.err());
        assertTrue(o.err().startsWith("railyard: "), o.err());
        assertTrue(o.err().contains(parts[1]), "expected '" + parts[1] + "' in: " + o.err());
        assertFalse(o.err().contains("Exception"), "no stack trace or exception name: " + o.err());
        assertEquals("", o.out());
    }

    @Test
    void moreConnectionsThanAProcessMayOpenFilesAreRefusedAtOnceWithTheLimit() {
        long limit = OpenFiles.limit();
        assumeTrue(limit > 0 && limit < Integer.MAX_VALUE - 1, "this platform states no open-files limit a -c can exceed: " + limit);
        int over = (int) (limit - OpenFiles.HEADROOM + 1);
        Outcome o = railyard("run", "connections", "--model", "loop", "-c", String.valueOf(over));
        assertEquals(2, o.code(), o.err());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().contains("-c " + over + " holds " + over + " connections")
                && o.err().contains("at most " + limit + " files") && o.err().contains("give -c " + (over - 1) + " or less"), o.err());
        assertNull(OpenFiles.refusal(over - 1, limit));
        assertNull(OpenFiles.refusal(Integer.MAX_VALUE, -1)); // a platform without the limit: not refused
        String none = OpenFiles.refusal(1000, OpenFiles.HEADROOM); // ulimit -n 256: no -c fits at all
        assertFalse(none.contains("give -c"), none);
        assertTrue(none.contains("raise the limit") && none.contains("at least " + (1000 + OpenFiles.HEADROOM)), none);
        assertTrue(OpenFiles.refusal(1000, OpenFiles.HEADROOM + 10).contains("give -c 10 or less"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "run", "run cpu", "run io", "run connections", "compare", "advise", "serve", "crawl", "member"})
    void everyHelpRendersCleanly(String command) {
        String[] args = (command + " --help").trim().split(" ");
        // picocli's own warnings (e.g. a description with an unescaped %) go to System.err directly
        java.io.PrintStream realErr = System.err;
        java.io.ByteArrayOutputStream tracer = new java.io.ByteArrayOutputStream();
        Outcome o;
        System.setErr(new java.io.PrintStream(tracer, true));
        try {
            o = railyard(args);
        } finally {
            System.setErr(realErr);
        }
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("Usage:"), o.out());
        assertEquals("", o.err() + tracer, "nothing on stderr");
    }
}
