package io.railyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.railyard.bench.harness.ResultsJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

class CompareCommandTest {

    @TempDir
    Path dir;

    record Outcome(int code, String out, String err) {}

    static Outcome railyard(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    private static final String[] SMALL = {"compare", "--scale", "tiny", "--warmup", "0", "--trials", "1", "--workloads", "cpu,tiny"};

    private static String[] small(String... more) {
        List<String> a = new ArrayList<>(List.of(SMALL));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void compareWritesTheReportTheJsonAndPrintsTheTable() throws Exception {
        Path report = dir.resolve("report"), json = dir.resolve("out/all.json");
        Outcome o = railyard(small("--models", "threads,virtual", "--no-python", "--report", report.toString(), "--json", json.toString()));
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("CPU cores used on CPU work"), o.out());
        assertTrue(o.out().contains("threads") && o.out().contains("virtual"), o.out());
        for (String f : List.of("index.html", "results.json", "results.csv", "trials.csv")) assertTrue(Files.size(report.resolve(f)) > 0, f);
        try (Stream<Path> left = Files.list(report)) {
            assertEquals(4, left.count(), "no temp files left behind");
        }
        JsonNode j = ResultsJson.MAPPER.readTree(json.toFile());
        assertEquals(ResultsJson.MAPPER.readTree(report.resolve("results.json").toFile()), j, "--json FILE is the whole result");
        assertEquals(List.of("threads", "virtual"), ResultsJson.MAPPER.convertValue(j.get("table").get("columns"), List.class));
        String csv = Files.readString(report.resolve("results.csv"));
        assertTrue(csv.startsWith("row,title,model,language,value,min,max,text,cells,reason"), csv);
        assertTrue(csv.contains("cpu_cores,CPU cores used on CPU work,threads,java,"), csv);
        assertTrue(o.err().contains("[1/"), "progress per cell on stderr: " + o.err());
    }

    @Test
    void aBudgetJudgesEveryJavaTrialAndAutoscaleRunsInsideIt() throws Exception {
        Path report = dir.resolve("report");
        Outcome o = railyard(small("--models", "threads,virtual", "--no-python", "--report", report.toString(),
                "--autoscale", "--budget-memory", "4g"));
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains("railyard: budget memory 4.0 GiB"), o.err());
        assertTrue(o.err().contains("autoscaled: kept by"), o.err());
        JsonNode j = ResultsJson.MAPPER.readTree(report.resolve("results.json").toFile());
        int checked = 0;
        for (JsonNode cell : j.get("cells"))
            for (JsonNode t : cell.get("trials")) {
                assertTrue(t.hasNonNull("budget"), "every Java trial carries its budget check: " + cell.get("id"));
                assertEquals(4096L << 20, t.get("budget").get("memory_budget_bytes").asLong());
                checked++;
            }
        assertTrue(checked >= 4, "cpu and tiny on two models: " + checked);
    }

    @Test
    void anExplicitPythonThatDoesNotExistIsABadInputAndNothingIsWritten() {
        Path report = dir.resolve("report");
        Outcome o = railyard(small("--models", "threads,threading", "--python", "/nonexistent/python3", "--report", report.toString()));
        assertBadInput(o, "--python '/nonexistent/python3' cannot be run");
        assertFalse(Files.exists(report), "nothing written");
    }

    @Test
    void withoutCPythonTheTableSaysSo() throws Exception {
        Path report = dir.resolve("report");
        Outcome o = railyard(small("--models", "threads,threading", "--no-python", "--report", report.toString()));
        assertEquals(0, o.code(), o.err());
        assertTrue(o.out().contains("CPython: not measured: --no-python was given"), o.out());
        assertTrue(Files.readString(report.resolve("index.html")).contains("CPython was not measured: --no-python was given"));
    }

    @Test
    void aClusterAddressWhereNoMemberListensIsABadInputFoundBeforeAnyWork() throws Exception {
        int closed;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Outcome o = railyard(small("--models", "cluster,threads", "--no-python", "--cluster", "127.0.0.1:" + closed));
        assertBadInput(o, "--cluster 127.0.0.1:" + closed + ": no member answers there");
        assertFalse(o.err().contains("[1/"), "no cell ran");
    }

    @Test
    void anUnwritableReportDirectoryIsABadInputFoundBeforeAnyWork() throws Exception {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Outcome o = railyard(small("--models", "threads", "--no-python", "--report", file.resolve("report").toString()));
        assertBadInput(o, "cannot write the report directory");
        assertEquals("", o.err().contains("[1/") ? "progress" : "", "no cell ran");
        Outcome j = railyard(small("--models", "threads", "--no-python", "--report", dir.resolve("r").toString(), "--json", file.resolve("x.json").toString()));
        assertBadInput(j, "cannot write");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "compare --models threads,nope|unknown model 'nope' in --models",
            "compare --workloads cpu,frob|unknown workload 'frob' in --workloads",
            "compare --trials 0|--trials must be a positive number",
            "compare --warmup -1|--warmup must be 0 or more",
            "compare --quick --full|mutually exclusive",
            "compare --budget-memory 12q|--budget-memory '12q' is not a size",
            "compare --budget-cpu -1|--budget-cpu",
            "advise|Missing required option: '--task=CLASS'",
            "advise --task no.such.Task|task class 'no.such.Task' was not found on the classpath",
            "advise --task java.lang.String|does not implement io.railyard.core.TaskFunction",
            "advise --task io.railyard.bench.advise.example.HashRounds --models nope|unknown model 'nope'",
            "advise --task io.railyard.bench.advise.example.HashRounds --input /nonexistent/in.txt|cannot read --input '/nonexistent/in.txt'",
            "advise --task io.railyard.bench.advise.example.HashRounds --seconds 0|--seconds must be between 0 and 60",
    })
    void badInputIsOneLineAndExitCode2(String row) {
        String[] parts = row.split("\\|", 2);
        assertBadInput(railyard(parts[0].split(" ")), parts[1]);
    }

    @Test
    void adviseRecommendsAModelAndAConcurrencyForTheExampleTask() throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "alpha\nbeta\n\ngamma\n");
        Outcome o = railyard("advise", "--task", "io.railyard.bench.advise.example.HashRounds", "--input", in.toString(),
                "--models", "threads,virtual", "--seconds", "0.3", "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode a = ResultsJson.MAPPER.readTree(o.out());
        assertEquals(3, a.get("inputs").asInt(), "empty lines are skipped");
        assertTrue(List.of("threads", "virtual").contains(a.get("model").asText()), a.toString());
        assertTrue(a.get("c").asInt() >= 1);
        // hashing is CPU work: a good share of a task's wall time is spent on a CPU (a waiting task's
        // share is near 0); the bound is generous because a loaded machine preempts the task
        assertTrue(a.get("cpu_share").asDouble() > 0.25, "cpu share " + a.get("cpu_share"));
        assertTrue(a.get("points").size() >= 4, "at least two levels per model: " + a.get("points"));
        assertTrue(a.get("evidence").toString().contains("CPU share"), a.get("evidence").toString());
    }

    @Test
    void adviseHandsItsModelOptionsToTheModels() throws Exception {
        Outcome ok = railyard("advise", "--task", "io.railyard.bench.advise.example.HashRounds", "--models", "processes",
                "--model-option", "maxTasksPerWorker=1000", "--model-option", "allow=com.example.results.*", "--seconds", "0.2", "--json");
        assertEquals(0, ok.code(), ok.err());
        assertEquals("processes", ResultsJson.MAPPER.readTree(ok.out()).get("model").asText());
        // a setting the model refuses reaches it and comes back with the model's own words
        Outcome bad = railyard("advise", "--task", "io.railyard.bench.advise.example.HashRounds", "--models", "processes",
                "--model-option", "maxTasksPerWorker=lots", "--seconds", "0.2");
        assertBadInput(bad, "maxTasksPerWorker=lots is not a whole number");
    }

    @Test
    void adviseRunsTheTaskInWorkerProcessesAndOnAClusterMember() throws Exception {
        Outcome o = railyard("advise", "--task", "io.railyard.bench.advise.example.HashRounds",
                "--models", "processes,cluster", "--seconds", "0.2", "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode a = ResultsJson.MAPPER.readTree(o.out());
        for (String model : List.of("processes", "cluster")) {
            List<JsonNode> points = new java.util.ArrayList<>();
            a.get("points").forEach(p -> { if (p.get("model").asText().equals(model)) points.add(p); });
            assertFalse(points.isEmpty(), model + " was measured: " + a.get("points"));
            for (JsonNode p : points) {
                assertTrue(p.get("error").isNull(), model + " ran the task: " + p);
                assertTrue(p.get("tasks").asLong() > 0, model + " completed tasks: " + p);
            }
        }
    }

    @Test
    void adviseNamesTheInputOnWhichTheTaskFails() throws Exception {
        Path in = Files.writeString(dir.resolve("in.txt"), "1\n2\nnot-a-number\n");
        Outcome o = railyard("advise", "--task", ParseNumber.class.getName(), "--input", in.toString(), "--models", "threads");
        assertBadInput(o, "the task failed on input line 3 ('not-a-number')");
    }

    /** A task that fails on a line that is not a number. */
    public static final class ParseNumber implements io.railyard.core.TaskFunction<String, Long> {
        @Override
        public Long apply(String s) {
            return Long.parseLong(s);
        }
    }

    private static void assertBadInput(Outcome o, String expected) {
        assertEquals(2, o.code(), o.err());
        assertEquals(1, o.err().lines().count(), "one line, got:\n" + o.err());
        assertTrue(o.err().startsWith("railyard: "), o.err());
        assertTrue(o.err().contains(expected), "expected '" + expected + "' in: " + o.err());
        assertFalse(o.err().contains("Exception"), "no stack trace or exception name: " + o.err());
    }
}
