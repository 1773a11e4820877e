package io.railyard.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import io.railyard.bench.harness.Harness;
import io.railyard.bench.harness.ResultsJson;
import io.railyard.bench.harness.RunResult;
import io.railyard.bench.harness.Trial;
import io.railyard.bench.workload.CounterWorkload;
import io.railyard.bench.workload.Scale;
import io.railyard.bench.workload.Workloads;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The seed's rows Multitasking Strategy, Switching Decision and Synchronization Coordinator: computed
 * from the samples results.json keeps, and showing, on real runs, what each model does: who starts
 * the short tasks while hogs compute, and which updates of a shared counter get lost.
 */
class SwitchingRowsTest {

    @TempDir
    Path dir;

    @Test
    void theRowsAreRebuiltFromResultsJsonAlone() throws Exception {
        CompareResult r = SwitchingCompare.result();
        Path file = dir.resolve("results.json");
        ResultsJson.write(file, r);
        CompareResult back = ResultsJson.read(file, CompareResult.class);
        assertEquals(ResultsJson.MAPPER.writeValueAsString(r), ResultsJson.MAPPER.writeValueAsString(back), "JSON -> records -> JSON is lossless");
        Table rebuilt = TableBuilder.rebuild(back);
        for (String key : List.of("multitasking", "switching", "synchronization"))
            assertEquals(ResultsJson.MAPPER.writeValueAsString(r.table().row(key)), ResultsJson.MAPPER.writeValueAsString(rebuilt.row(key)),
                    key + ": the stored row is what its cells' samples give");
        assertEquals("Multitasking Strategy", r.table().row("multitasking").title());
        assertEquals("Switching Decision", r.table().row("switching").title());
        assertEquals("Synchronization Coordinator", r.table().row("synchronization").title());
        assertEquals(SeedIndex.MULTITASKING, back.table().row("multitasking").seedRow(), "seed_row is stored");
        assertEquals(SeedIndex.SWITCHING, back.table().row("switching").seedRow());
        assertEquals(SeedIndex.SYNCHRONIZATION, back.table().row("synchronization").seedRow());
        assertTrue(r.table().row("multitasking").how().contains(SwitchingRows.RULE), "the row states its rule");
    }

    @Test
    void figuresRecomputedByHandFromTheRawJsonMatchTheTable() throws Exception {
        JsonNode j = ResultsJson.MAPPER.valueToTree(SwitchingCompare.result());
        for (JsonNode cell : j.get("cells")) {
            if (!cell.get("status").asText().equals("ok")) continue;
            String model = cell.get("model").asText();
            if (cell.get("work").asText().equals("hog")) {
                // short tasks: after the primers and the hogs, by submit time; those submitted once the first hog began
                int primers = cell.get("params").path("primers").asInt(0), hogs = cell.get("params").get("hogs").asInt();
                double hogUs = cell.get("params").get("hog_ms").asDouble() * 1e3;
                double[] p50 = new double[cell.get("trials").size()];
                for (int i = 0; i < p50.length; i++) {
                    JsonNode t = cell.get("trials").get(i).get("tasks");
                    long began = Long.MAX_VALUE;
                    for (int k = primers; k < primers + hogs; k++) began = Math.min(began, t.get("start_us").get(k).asLong());
                    List<Long> q = new ArrayList<>();
                    for (int k = primers + hogs; k < t.get("submit_us").size(); k++)
                        if (t.get("submit_us").get(k).asLong() >= began && t.get("start_us").get(k).asLong() >= 0)
                            q.add(t.get("start_us").get(k).asLong() - t.get("submit_us").get(k).asLong());
                    assertFalse(q.isEmpty(), cell.get("id") + ": short tasks submitted while a hog ran");
                    q.sort(null);
                    p50[i] = q.get((int) Math.ceil(0.5 * q.size()) - 1);
                }
                assertEquals(median(p50), figure(j, "switching", model).get("value").asDouble(), 1e-9, model);
                assertEquals(median(Arrays.stream(p50).map(v -> v / hogUs).toArray()), figure(j, "multitasking", model).get("value").asDouble(), 1e-9, model);
            } else {
                double[] share = new double[cell.get("trials").size()];
                for (int i = 0; i < share.length; i++) {
                    JsonNode f = cell.get("trials").get(i).get("figures");
                    share[i] = f.get("lost_plain").asDouble() / f.get("increments").asDouble();
                }
                assertEquals(median(share), figure(j, "synchronization", model).get("value").asDouble(), 1e-9, model);
            }
        }
    }

    /**
     * Where the OS switches, short tasks start while the hogs compute; where the task decides, they
     * wait for a hog to end. The margins are wide (half a hog, 100 ms): the figures are ~1 ms and
     * ~200 ms; a loaded machine moves them by milliseconds.
     */
    @Test
    void shortTasksWaitForTheHogsOnlyWhereTheTaskDecides() throws Exception {
        CompareResult r = SwitchingCompare.result();
        Table.Row strategy = r.table().row("multitasking"), switching = r.table().row("switching");
        List<String> preemptive = new ArrayList<>(List.of("processes", "threads")), cooperative = new ArrayList<>(List.of("loop", "virtual"));
        if (r.python().available()) {
            preemptive.addAll(List.of("threading", "multiprocessing"));
            cooperative.add("asyncio");
        }
        for (String m : preemptive) {
            Table.Figure f = strategy.figures().get(m);
            assertTrue(f.present(), m + ": " + f.reason());
            assertTrue(f.value() < SwitchingRows.PREEMPTIVE_BELOW, m + " starts short tasks while hogs compute: " + f.text());
            assertTrue(f.text().startsWith("Preemptive (the OS switches)"), f.text());
            assertTrue(switching.figures().get(m).text().startsWith("The OS switched"), switching.figures().get(m).text());
        }
        for (String m : cooperative) {
            Table.Figure f = strategy.figures().get(m);
            assertTrue(f.present(), m + ": " + f.reason());
            assertTrue(f.value() >= SwitchingRows.PREEMPTIVE_BELOW, m + " makes short tasks wait for a hog: " + f.text());
            assertTrue(f.text().startsWith("Cooperative (the task decides)"), f.text());
            assertTrue(switching.figures().get(m).text().startsWith("The tasks decided"), switching.figures().get(m).text());
        }
    }

    @Test
    void eachCoordinatorLosesNothingAndProcessesShareNoMemory() throws Exception {
        CompareResult r = SwitchingCompare.result();
        for (Cell c : r.cells()) {
            if (!c.work().equals("counter") || (c.language().equals("python") && !r.python().available())) continue;
            assertTrue(c.ok(), c.id() + ": " + c.reason());
            String expected = switch (c.model()) {
                case "loop", "asyncio" -> CounterWorkload.NONE;
                case "processes", "multiprocessing" -> CounterWorkload.IPC;
                default -> CounterWorkload.LOCK;
            };
            assertEquals(expected, c.params().get("coordinator"), c.id());
            for (CellTrial t : c.trials()) {
                Map<String, Double> f = t.figures();
                assertEquals(0, f.get(CounterWorkload.LOST_COORDINATED), c.id() + ": nothing lost with " + expected);
                if (expected.equals(CounterWorkload.NONE))
                    assertEquals(0, f.get(CounterWorkload.LOST_PLAIN), c.id() + ": one thread loses nothing, even without a lock");
                if (expected.equals(CounterWorkload.IPC))
                    assertEquals(f.get(CounterWorkload.INCREMENTS), f.get(CounterWorkload.LOST_PLAIN),
                            c.id() + ": the caller's counter never sees the workers' increments");
            }
        }
    }

    /**
     * Threads that read, work and write a shared counter without a lock lose updates: provoked for
     * real, run after run until one does (a run on a busy machine may happen not to overlap).
     */
    @ParameterizedTest
    @ValueSource(strings = {"threads", "virtual"})
    void threadsWithoutALockLoseUpdates(String model) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        double lost = 0;
        for (int run = 0; run < 20 && lost == 0 && System.nanoTime() < deadline; run++) {
            try (var w = Workloads.get("counter").factory().create(Scale.DEFAULT, 2)) {
                RunResult result = new Harness(Map.of(), Harness.Listener.NONE).run(w, model, 2, 0, 1);
                Trial t = result.trials().get(0);
                assertEquals(0, t.figures().get(CounterWorkload.LOST_COORDINATED), "the lock loses nothing");
                lost = t.figures().get(CounterWorkload.LOST_PLAIN);
            }
        }
        assertTrue(lost > 0, model + ": no update was lost without a lock in 20 runs of 2 x 500,000 increments");
    }

    @Test
    void cpythonThreadsLoseUpdatesDespiteTheGil() throws Exception {
        String version = PythonModels.probeVersion("python3");
        Assumptions.assumeTrue(version != null, "needs python3");
        long deadline = System.nanoTime() + 60_000_000_000L;
        double lost = 0;
        try (PythonModels python = PythonModels.open("python3", version)) {
            for (int run = 0; run < 10 && lost == 0 && System.nanoTime() < deadline; run++) {
                PythonModels.Run t = python.trial("threading", 2, List.of("--work", "counter", "--increments", "200000"));
                assertEquals(0, t.trial().figures().get(CounterWorkload.LOST_COORDINATED), "threading.Lock loses nothing");
                lost = t.trial().figures().get(CounterWorkload.LOST_PLAIN);
            }
        }
        assertTrue(lost > 0, "CPython threading: no update was lost without a lock in 10 runs of 200,000 increments");
    }

    private static JsonNode figure(JsonNode j, String row, String model) {
        for (JsonNode r : j.get("table").get("rows")) if (r.get("key").asText().equals(row)) return r.get("figures").get(model);
        throw new AssertionError("no row " + row);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }
}
