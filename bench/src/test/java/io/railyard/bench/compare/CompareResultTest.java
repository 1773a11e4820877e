package io.railyard.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import io.railyard.bench.harness.ResultsJson;
import io.railyard.bench.workload.Scale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class CompareResultTest {

    @TempDir
    Path dir;

    @Test
    void resultsJsonRoundTripsAndTheTableIsRebuiltFromItsSamples() throws Exception {
        CompareResult r = TinyCompare.result();
        Path file = dir.resolve("results.json");
        ResultsJson.write(file, r);
        CompareResult back = ResultsJson.read(file, CompareResult.class);
        JsonNode written = ResultsJson.MAPPER.readTree(file.toFile()), again = ResultsJson.MAPPER.readTree(ResultsJson.MAPPER.writeValueAsString(back));
        assertEquals("", firstDifference("", written, again), "JSON -> records -> JSON is lossless");
        Table rebuilt = TableBuilder.rebuild(back);
        assertEquals(ResultsJson.MAPPER.writeValueAsString(back.table()), ResultsJson.MAPPER.writeValueAsString(rebuilt),
                "the stored table is exactly what its cells' samples give");
    }

    @Test
    void figuresRecomputedByHandFromTheRawJsonMatchTheTable() throws Exception {
        JsonNode j = ResultsJson.MAPPER.valueToTree(TinyCompare.result());
        JsonNode threadsCpu = cell(j, "cpu.threads.c2"), one = cell(j, "cpu.threads.c1"), tiny = cell(j, "tiny.threads.c2");
        assertEquals("ok", threadsCpu.get("status").asText(), threadsCpu.toString());

        // CPU cores used: median over trials of cpu_s / wall_s
        double[] cores = new double[threadsCpu.get("trials").size()];
        for (int i = 0; i < cores.length; i++) {
            JsonNode t = threadsCpu.get("trials").get(i);
            cores[i] = t.get("cpu_s").asDouble() / t.get("wall_s").asDouble();
        }
        assertEquals(median(cores), figure(j, "cpu_cores", "threads").get("value").asDouble(), 1e-9);

        // wall vs limit
        double[] ratio = new double[cores.length];
        for (int i = 0; i < ratio.length; i++)
            ratio[i] = threadsCpu.get("trials").get(i).get("wall_s").asDouble() / threadsCpu.get("limit_s").asDouble();
        assertEquals(median(ratio), figure(j, "cpu_wall", "threads").get("value").asDouble(), 1e-9);
        assertTrue(figure(j, "cpu_wall", "threads").get("min").asDouble() <= figure(j, "cpu_wall", "threads").get("max").asDouble());

        // per-task overhead p50: nearest rank of start - submit over every task of each trial, median of trials
        double[] p50 = new double[tiny.get("trials").size()];
        for (int i = 0; i < p50.length; i++) {
            JsonNode tasks = tiny.get("trials").get(i).get("tasks");
            List<Long> q = new ArrayList<>();
            for (int k = 0; k < tasks.get("submit_us").size(); k++)
                if (tasks.get("start_us").get(k).asLong() >= 0)
                    q.add(tasks.get("start_us").get(k).asLong() - tasks.get("submit_us").get(k).asLong());
            q.sort(null);
            assertEquals(tiny.get("params").get("n").asInt(), q.size(), "one record per tiny task");
            p50[i] = q.get((int) Math.ceil(0.5 * q.size()) - 1);
        }
        assertEquals(median(p50), figure(j, "overhead", "threads").get("value").asDouble(), 1e-9);

        // speed-up from C=1 to C=2 on cpu (the GIL row): the work alone, pool start-up left out
        double w1 = median(workTimes(one)), w2 = median(workTimes(threadsCpu));
        assertEquals(w1 / w2, figure(j, "gil", "threads").get("value").asDouble(), 1e-9);
    }

    @Test
    void noGlobalLockVerdictFromCoresOtherProgramsHeld() throws Exception {
        JsonNode j = ResultsJson.MAPPER.valueToTree(TinyCompare.result());
        JsonNode cpu = cell(j, "cpu.threads.c2");
        for (JsonNode t : cpu.get("trials"))
            assertTrue(t.path("figures").has("others_cores"), "every trial says what else ran meanwhile: " + t.path("figures"));
        String before = figure(j, "gil", "threads").get("text").asText();
        assertTrue(before.startsWith("Yes") || before.startsWith("No") || before.startsWith("Can't tell"), before);
        // the same samples, as if other programs had held more than a core meanwhile
        for (JsonNode t : cpu.get("trials"))
            ((com.fasterxml.jackson.databind.node.ObjectNode) t.get("figures")).put("others_cores", 1.2);
        CompareResult busy = ResultsJson.MAPPER.treeToValue(j, CompareResult.class);
        Table t = TableBuilder.rebuild(busy);
        Table.Figure gil = t.rows().stream().filter(r -> r.key().equals("gil")).findFirst().orElseThrow().figures().get("threads");
        assertTrue(gil.text().startsWith("Can't tell: other programs kept 1.2"), gil.text());
        Table.Figure use = t.rows().stream().filter(r -> r.key().equals("recommended")).findFirst().orElseThrow().figures().get("threads");
        assertFalse(use.text().contains("CPU-bound"), "no CPU-bound recommendation without a verdict: " + use.text());
    }

    @Test
    void runJsonAndTheTableGiveTheSamePercentilesForTheSameSamples() throws Exception {
        io.railyard.bench.workload.Workload tiny = io.railyard.bench.workload.Workloads.get("tiny").factory().create(Scale.TINY, 2);
        io.railyard.bench.harness.RunResult run;
        try (tiny) {
            run = new io.railyard.bench.harness.Harness(Map.of(), io.railyard.bench.harness.Harness.Listener.NONE).run(tiny, "threads", 2, 0, 1);
        }
        io.railyard.bench.harness.Trial trial = run.trials().get(0);
        CellTrial stored = CellTrial.of(trial);
        // what run --json prints is what compare's table and report compute from results.json
        assertEquals(trial.queuedP50Us(), TableBuilder.queuedPercentile(stored.tasks(), 50));
        assertEquals(trial.queuedP99Us(), TableBuilder.queuedPercentile(stored.tasks(), 99));
        assertEquals(run.queuedP50Us(), trial.queuedP50Us());
        assertTrue(TableBuilder.rebuild(TinyCompare.result()).row("overhead").how().contains(io.railyard.bench.harness.SubmitToStart.DEFINITION),
                "the row says what submit-to-start is");
    }

    @Test
    void everyFigureHasAValueOrAReasonAndLinksToItsCells() throws Exception {
        CompareResult r = TinyCompare.result();
        assertEquals(r.models().size(), r.table().columns().size());
        for (Table.Row row : r.table().rows())
            for (String col : r.table().columns()) {
                Table.Figure f = row.figures().get(col);
                assertNotNull(f, row.key() + "/" + col);
                if (f.present()) assertFalse(f.text().isBlank(), row.key() + "/" + col);
                else assertFalse(f.reason().isBlank(), "a missing figure states why: " + row.key() + "/" + col);
                for (String id : f.cells()) if (r.cell(id) == null) assertNotNull(f.reason(), "link to a cell that exists: " + id);
            }
        // the io row is missing with a reason until the io workload is registered
        if (r.workloads().stream().noneMatch(w -> w.name().equals("io")))
            assertTrue(r.table().row("io_wall").figures().get("threads").reason().contains("io"));
        // every task of every ok cell was recorded and finished
        for (Cell c : r.cells())
            if (c.ok()) for (CellTrial t : c.trials()) {
                assertEquals(0, t.failed(), c.id());
                assertEquals(t.ok(), t.tasks().size(), c.id());
                assertTrue(t.series().elapsedMs().length >= 1, c.id());
            }
    }

    @Test
    void cpythonColumnsSayWhyWhenThereIsNoPython() throws Exception {
        CompareOptions o = new CompareOptions(Scale.TINY, 0, 1, List.of("threads"), List.of("threading"), List.of("tiny"),
                null, null, "python3 was not found on the PATH", Map.of());
        CompareResult r = new CompareRunner(o, CompareRunner.Listener.NONE).run();
        assertFalse(r.python().available());
        Table.Figure f = r.table().row("overhead").figures().get("threading");
        assertEquals("python3 was not found on the PATH", f.reason());
        assertTrue(r.table().row("overhead").figures().get("threads").present());
    }

    @Test
    void cpythonRunsTheSameWorkWhenPresent() throws Exception {
        CompareResult r = TinyCompare.result();
        org.junit.jupiter.api.Assumptions.assumeTrue(r.python().available(), "needs python3");
        for (String m : PythonModels.MODELS) {
            Cell c = r.cell("cpu." + m + ".c2");
            assertEquals("ok", c.status(), c.reason());
            assertEquals("python", c.language());
            CellTrial t = c.trials().get(0);
            assertEquals(((Number) c.params().get("m")).longValue(), t.ok());
            // the child's tree, not the JVM's (which alone is over 80 MiB here)
            assertTrue(t.peakRssBytes() > 4 << 20 && t.peakRssBytes() < 80 << 20, m + ": peak RSS " + t.peakRssBytes());
            assertTrue(Arrays.stream(t.tasks().cpuUs()).sum() > 0, m + ": tasks report their CPU time");
            long workers = Arrays.stream(t.tasks().worker()).distinct().count();
            if (m.equals("asyncio")) assertEquals(1, workers, "asyncio runs every task on its one thread");
            else assertTrue(workers >= 1 && workers <= 2, m + " has at most C=2 workers: " + workers);
        }
    }

    /** The path of the first difference between two JSON trees, or "" when they are equal. */
    private static String firstDifference(String path, JsonNode a, JsonNode b) {
        if (a.equals(b)) return "";
        if (a.isObject() && b.isObject()) {
            for (var it = a.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!b.has(f)) return path + "/" + f + " missing";
                String d = firstDifference(path + "/" + f, a.get(f), b.get(f));
                if (!d.isEmpty()) return d;
            }
            return path + " has extra fields";
        }
        if (a.isArray() && b.isArray() && a.size() == b.size()) {
            for (int i = 0; i < a.size(); i++) {
                String d = firstDifference(path + "/" + i, a.get(i), b.get(i));
                if (!d.isEmpty()) return d;
            }
        }
        String sa = a.toString(), sb = b.toString();
        return path + ": " + sa.substring(0, Math.min(120, sa.length())) + " vs " + sb.substring(0, Math.min(120, sb.length()));
    }

    private static JsonNode cell(JsonNode j, String id) {
        for (JsonNode c : j.get("cells")) if (c.get("id").asText().equals(id)) return c;
        throw new AssertionError("no cell " + id);
    }

    private static JsonNode figure(JsonNode j, String row, String model) {
        for (JsonNode r : j.get("table").get("rows")) if (r.get("key").asText().equals(row)) return r.get("figures").get(model);
        throw new AssertionError("no row " + row);
    }

    private static double[] workTimes(JsonNode cell) {
        double[] w = new double[cell.get("trials").size()];
        for (int i = 0; i < w.length; i++)
            w[i] = cell.get("trials").get(i).get("wall_s").asDouble() - cell.get("trials").get(i).get("startup_s").asDouble();
        return w;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
