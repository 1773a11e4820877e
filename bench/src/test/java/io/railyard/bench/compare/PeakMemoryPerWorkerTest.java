package io.railyard.bench.compare;

import io.railyard.core.probe.ResourceSampler.Sample;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The "Peak memory per worker process" row: the children's RSS at their peak over the children alive
 * then, the parent's not in it; no figure for a model whose tasks ran in one process. (A real child
 * process's part is recorded in {@link FreshCommandTest} and core's ProcessTreeProbeTest.)
 */
class PeakMemoryPerWorkerTest {

    private static final long MIB = 1 << 20;

    @Test
    void aWorkerIsTheChildrensRssAtTheirPeakOverTheChildrenAliveThen() {
        // a parent of 170 MiB whose 4 workers grow to 40 MiB each; then 2 of them exit while the parent grows
        CellTrial.Series s = CellTrial.Series.of(List.of(
                sample(0, 170, 0, 1),
                sample(1, 170 + 4 * 30, 4 * 30, 5),
                sample(2, 170 + 4 * 40, 4 * 40, 5),
                sample(3, 260 + 2 * 41, 2 * 41, 3)));
        assertEquals(40.0 * MIB, s.peakRssPerChildBytes());

        CompareResult.Machine machine = new CompareResult.Machine(2, 1L << 34, "Linux", "25", "test");
        List<CompareResult.Model> models = List.of(new CompareResult.Model("processes", "java", "processes"),
                new CompareResult.Model("threads", "java", "threads"));
        List<CompareResult.Work> works = List.of(new CompareResult.Work("io", "io", List.of(4), 4));
        CellTrial.Series oneProcess = CellTrial.Series.of(List.of(sample(0, 90, 0, 1), sample(1, 95, 0, 1)));
        Table t = TableBuilder.build(machine, models, works, List.of(cell("processes", s), cell("threads", oneProcess)));
        Table.Figure processes = t.row("peak_rss_worker").figures().get("processes");
        assertEquals(40.0 * MIB, processes.value());
        assertEquals("40.0 MiB", processes.text());
        assertEquals(List.of("io.processes.c4"), processes.cells());
        Table.Figure threads = t.row("peak_rss_worker").figures().get("threads");
        assertFalse(threads.present());
        assertTrue(threads.reason().contains("one process"), threads.reason());
        assertTrue(t.row("peak_rss_worker").how().contains("parent that opened the pool is not in it"), t.row("peak_rss_worker").how());
        assertEquals(342.0 * MIB, t.row("peak_rss").figures().get("processes").value(), "the whole tree stays in Peak memory");
    }

    @Test
    void aSeriesWithoutTheChildrensPartHasNoFigure() {
        CellTrial.Series old = new CellTrial.Series(new long[]{0}, new long[]{0}, new long[]{100}, null, new int[]{1}, new int[]{3},
                new int[]{0}, new long[]{0}, 10_000_000);
        assertTrue(Double.isNaN(old.peakRssPerChildBytes()));
    }

    private static Sample sample(int second, long rssMib, long childrenMib, int processes) {
        return new Sample(second * 1_000_000_000L, 0, rssMib * MIB, processes, 20, 0, 0, childrenMib * MIB);
    }

    private static Cell cell(String model, CellTrial.Series series) {
        CellTrial.Tasks none = new CellTrial.Tasks(new long[0], new long[0], new long[0], new int[0], new long[0], 0);
        long peak = java.util.Arrays.stream(series.rssKib()).max().orElse(0) * 1024;
        CellTrial trial = new CellTrial(1, 0.5, peak, series.rssKib()[0] * 1024, 8, 0, 0, 20, 5, none, series, null);
        return new Cell(Cell.id("io", model, 4), model, "java", "io", 4, Cell.OK, null, 0.5, Map.of(), List.of(trial));
    }
}
