package io.railyard.bench.compare;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The fresh command behind the io work's peak memory: which command it runs, a real process sampled
 * from outside with its answer read from its JSON line, and the table's row taking its figure.
 * (cli's CompareFreshIoTest runs the real {@code railyard run io} this way.)
 */
class FreshCommandTest {

    @TempDir
    Path tmp;

    @Test
    void theCommandIsTheLauncherWhenThereIsOneElseAJvmLikeThisOne() throws Exception {
        List<String> args = FreshCommand.ioArgs("loop", 64, 640, 50, "http://127.0.0.1:9/delay/50");
        assertEquals(List.of("run", "io", "--model", "loop", "-c", "64", "-n", "640", "--latency-ms", "50",
                "--url", "http://127.0.0.1:9/delay/50", "--json"), args);
        String before = System.getProperty("railyard.home");
        try {
            System.clearProperty("railyard.home");
            List<String> jvm = FreshCommand.railyard(args);
            assertTrue(jvm.get(0).endsWith("/bin/java"), jvm.toString());
            assertEquals("io.railyard.cli.Main", jvm.get(jvm.size() - args.size() - 1), jvm.toString());
            Path launcher = tmp.resolve("railyard");
            Files.writeString(launcher, "#!/bin/sh\n");
            Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
            System.setProperty("railyard.home", tmp.toString());
            List<String> viaLauncher = FreshCommand.railyard(args);
            assertEquals(launcher.toString(), viaLauncher.get(0));
            assertEquals(args, viaLauncher.subList(1, viaLauncher.size()));
        } finally {
            if (before == null) System.clearProperty("railyard.home");
            else System.setProperty("railyard.home", before);
        }
    }

    @Test
    void aCommandIsSampledFromItsStartToItsExitAndItsJsonLineCounted() throws Exception {
        // a real process tree: a shell that keeps a child busy for a moment, then answers as run --json does
        CellTrial t = FreshCommand.trial(List.of("sh", "-c", "sleep 0.3 & i=0; while [ $i -lt 20000 ]; do i=$((i+1)); done; wait;"
                + " echo '{\"work\":\"io\",\"ok\":7,\"failed\":1}'"));
        assertEquals(7, t.ok());
        assertEquals(1, t.failed());
        assertTrue(t.wallS() >= 0.3, "wall " + t.wallS());
        assertTrue(t.cpuS() > 0, "cpu " + t.cpuS());
        assertTrue(t.peakRssBytes() > 1 << 19, "peak " + t.peakRssBytes());
        assertTrue(t.peakProcesses() >= 2, "the child was in the tree: " + t.peakProcesses());
        assertTrue(t.series().peakRssPerChildBytes() > 0 && t.series().peakRssPerChildBytes() < t.peakRssBytes(),
                "the child's own part: " + t.series().peakRssPerChildBytes() + " of " + t.peakRssBytes());
    }

    @Test
    void aCommandThatFailsSaysSo() {
        IOException e = assertThrows(IOException.class, () -> FreshCommand.trial(List.of("sh", "-c", "echo oops >&2; exit 3")));
        assertTrue(e.getMessage().contains("exited 3"), e.getMessage());
    }

    @Test
    void thePeakMemoryRowTakesTheFreshCommandsFigureWhereThereIsOne() {
        CompareResult.Machine machine = new CompareResult.Machine(2, 1L << 34, "Linux", "25", "test");
        List<CompareResult.Model> models = List.of(new CompareResult.Model("threads", "java", "threads"),
                new CompareResult.Model("loop", "java", "loop"));
        List<CompareResult.Work> works = List.of(new CompareResult.Work("io", "io", List.of(64), 64));
        List<Cell> cells = List.of(cell("io", "threads", 150), cell("io", "loop", 160), cell(FreshCommand.WORK, "threads", 70));
        Table t = TableBuilder.build(machine, models, works, cells);
        Table.Figure threads = t.row("peak_rss").figures().get("threads"), loop = t.row("peak_rss").figures().get("loop");
        assertEquals("70 MiB (a fresh command)", threads.text());
        assertEquals(70.0 * (1 << 20), threads.value());
        assertEquals(List.of("fresh-io.threads.c64"), threads.cells());
        assertEquals("160 MiB", loop.text(), "no fresh command: the cell's own figure");
        assertTrue(t.row("peak_rss").how().contains("fresh railyard run io"), t.row("peak_rss").how());
    }

    private static Cell cell(String work, String model, long peakMib) {
        CellTrial.Tasks none = new CellTrial.Tasks(new long[0], new long[0], new long[0], new int[0], new long[0], 0);
        CellTrial.Series series = CellTrial.Series.of(List.of());
        CellTrial trial = new CellTrial(1, 0.5, peakMib << 20, 40L << 20, 640, 0, 0, 10, 1, none, series, null);
        return new Cell(Cell.id(work, model, 64), model, "java", work, 64, Cell.OK, null, work.equals("io") ? 0.5 : 0, Map.of(), List.of(trial));
    }
}
