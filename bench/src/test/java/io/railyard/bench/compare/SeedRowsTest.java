package io.railyard.bench.compare;

import io.railyard.bench.harness.ResultsJson;
import io.railyard.bench.report.TerminalTable;
import io.railyard.bench.workload.Scale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The seed's rows Scalability Limitation, Performance Optimization, Code Complexity, Package and
 * General from a real comparison: the loop really blocked by one blocking call per task, the same
 * call offloaded, threads beside them; CPython's asyncio and threading when python3 is there.
 * Outcomes are asserted with wide margins (the loop is expected to lose a factor C = 8).
 */
class SeedRowsTest {

    private static CompareResult result;

    static synchronized CompareResult result() throws Exception {
        if (result == null) {
            String version = PythonModels.probeVersion("python3");
            CompareOptions o = new CompareOptions(Scale.TINY, 0, 2, List.of("threads", "loop"), List.of("threading", "asyncio"),
                    List.of("cpu", "await", "block", "offload"), version == null ? null : "python3", version,
                    version == null ? "python3 was not found on the PATH" : null, Map.of());
            result = new CompareRunner(o, CompareRunner.Listener.NONE).run();
        }
        return result;
    }

    @Test
    void everyNewRowCarriesTheSeedsNameAndTheOldRowsThatAnswerTheSeedToo() throws Exception {
        Table t = result().table();
        Map<String, String> expected = Map.of("cpu_cores", SeedIndex.CPU, "gil", SeedIndex.GIL, "recommended", SeedIndex.USE_CASES,
                "cpu_speedup", SeedIndex.SCALABILITY, "blocking_call", SeedIndex.SCALABILITY, "io_client", SeedIndex.PERFORMANCE,
                "offload", SeedIndex.PERFORMANCE, "code", SeedIndex.CODE_COMPLEXITY, "package", SeedIndex.PACKAGE,
                "general", SeedIndex.GENERAL);
        expected.forEach((key, seed) -> assertEquals(seed, t.row(key).seedRow(), key));
        for (Table.Row r : t.rows()) if (r.seedRow() != null) assertTrue(SeedIndex.ROWS.contains(r.seedRow()), r.seedRow());
        String text = TerminalTable.render(result());
        for (String seed : List.of(SeedIndex.SCALABILITY, SeedIndex.PERFORMANCE, SeedIndex.CODE_COMPLEXITY, SeedIndex.PACKAGE, SeedIndex.GENERAL))
            assertTrue(text.contains("How each row is measured") && text.replace("\n", " ").contains("[seed: " + seed.split(" ")[0]),
                    "the terminal table names the seed's row " + seed);
    }

    @Test
    void theRowsAreRebuiltFromResultsJsonAlone(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("results.json");
        ResultsJson.write(file, result());
        CompareResult back = ResultsJson.read(file, CompareResult.class);
        assertEquals(ResultsJson.MAPPER.writeValueAsString(result().table()), ResultsJson.MAPPER.writeValueAsString(TableBuilder.rebuild(back)));
        assertEquals(SeedIndex.GENERAL, back.table().row("general").seedRow(), "seed_row is stored");
    }

    @Test
    void oneBlockingCallPerTaskCollapsesTheLoopButNotThreads() throws Exception {
        CompareResult r = result();
        Cell loopBlock = ok(r, "block.loop.c8"), loopAwait = ok(r, "await.loop.c8"), threadsBlock = ok(r, "block.threads.c8");
        double blocked = rate(loopBlock), free = rate(loopAwait), threads = rate(threadsBlock);
        // C = 8 waits at once become one at a time: a factor 8 expected, 2 asserted
        assertTrue(blocked < free / 2, "loop: blocked " + blocked + "/s vs non-blocking " + free + "/s");
        assertTrue(blocked < threads / 2, "threads keep waiting side by side: " + threads + "/s vs the blocked loop's " + blocked + "/s");
        // the loop's own probe saw it: a run of 24 waits of 10 ms held the loop, so its timer ran late by far more than one wait
        double lagMs = ((Number) loopBlock.params().get("loop_lag_max_ms")).doubleValue();
        assertTrue(lagMs >= 50, "loop lag max " + lagMs + " ms");
        assertTrue(r.table().row("blocking_call").figures().get("loop").text().contains("lag max"));
        assertFalse(r.table().row("blocking_call").figures().get("processes") != null, "processes is not a column of this run");
    }

    @Test
    void offloadingTheBlockingCallGivesTheLoopBackItsThroughput() throws Exception {
        CompareResult r = result();
        Cell offload = ok(r, "offload.loop.c8"), block = ok(r, "block.loop.c8");
        assertTrue(rate(offload) > 2 * rate(block), "offloaded " + rate(offload) + "/s vs held " + rate(block) + "/s");
        Table.Figure f = r.table().row("offload").figures().get("loop");
        assertTrue(f.present() && f.value() > 2, f.text());
        assertFalse(r.table().row("offload").figures().get("threads").present(), "threads have no loop to free");
    }

    @Test
    void cpythonAsyncioCollapsesTooAndToThreadHelps() throws Exception {
        CompareResult r = result();
        org.junit.jupiter.api.Assumptions.assumeTrue(r.python().available(), "needs python3");
        Cell block = ok(r, "block.asyncio.c8"), await = ok(r, "await.asyncio.c8"), offload = ok(r, "offload.asyncio.c8"),
                threading = ok(r, "block.threading.c8");
        assertTrue(rate(block) < rate(await) / 2, "asyncio: blocked " + rate(block) + "/s vs " + rate(await) + "/s");
        assertTrue(rate(block) < rate(threading) / 2, "threading: " + rate(threading) + "/s");
        assertTrue(rate(offload) > 2 * rate(block), "to_thread: " + rate(offload) + "/s");
        assertTrue(((Number) block.params().get("loop_lag_max_ms")).doubleValue() >= 50, block.params().toString());
        assertEquals("skipped", r.cell("await.threading.c8").status(), "a non-blocking wait is asyncio's");
    }

    @Test
    void codeAndPackageRowsComeFromTheExampleSources() throws Exception {
        Table t = result().table();
        Table.Figure threads = t.row("code").figures().get("threads"), loop = t.row("code").figures().get("loop");
        int threadsLines = io.railyard.bench.examples.ExampleSources.of("threads", "java").lines();
        assertTrue(threads.text().startsWith(threadsLines + " lines · lock ("), threads.text());
        assertTrue(loop.text().startsWith(loop.value().intValue() + " lines · non-blocking calls ("), loop.text());
        assertEquals((double) io.railyard.bench.examples.ExampleSources.of("loop", "java").lines(), loop.value());
        assertTrue(t.row("package").figures().get("threads").text().startsWith(io.railyard.core.threads.ThreadsPool.class.getSimpleName()));
        assertTrue(t.row("package").figures().get("loop").text().startsWith(io.railyard.loop.LoopPool.class.getSimpleName()));
        assertTrue(t.row("package").figures().get("asyncio").text().contains("asyncio"));
        assertTrue(t.row("general").figures().get("loop").text().startsWith(SeedIndex.words(SeedIndex.GENERAL, "loop")));
    }

    private static Cell ok(CompareResult r, String id) {
        Cell c = r.cell(id);
        assertNotNull(c, id);
        assertEquals("ok", c.status(), id + ": " + c.reason());
        assertFalse(c.trials().isEmpty(), id);
        return c;
    }

    private static double rate(Cell c) {
        return io.railyard.bench.harness.Stats.median(c.trials(), t -> t.ok() / t.wallS());
    }
}
