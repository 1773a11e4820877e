package io.railyard.bench.compare;

import io.railyard.bench.examples.ExampleSources;
import io.railyard.bench.harness.Stats;
import io.railyard.core.Models;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The seed's rows Scalability Limitation, Performance Optimization, Code Complexity, Package and
 * General, for every column. The measured ones are computed from the cells' samples alone, like
 * the rest of {@link TableBuilder}'s table:
 * <ul>
 *   <li>speed-up on CPU work from C=1 to each larger C run (the work alone, start-up left out);</li>
 *   <li>one blocking call per task (the {@code block} work) beside the same waits made without
 *       blocking ({@code await}) and offloaded ({@code offload}): tasks per second, and on a loop
 *       the loop's own lag and slow-callback figures recorded in the cell's parameters;</li>
 *   <li>the io work's client, blocking or not, with its throughput and wall over the limit;</li>
 *   <li>the seed's one-line summary with the cpu cell's processes, threads and cores busy.</li>
 * </ul>
 * Code Complexity and Package are read from the example sources ({@link ExampleSources}) and the
 * model's pool type; each such row says so in its {@code how}.
 *
 * <p>Stateless apart from its inputs; one instance builds the rows of one table.
 */
final class ScalabilityAndCodeRows {

    private final CompareResult.Machine machine;
    private final Map<String, CompareResult.Work> works;
    private final Map<String, Cell> cells;
    private final CellLookup lookup;

    ScalabilityAndCodeRows(CellLookup lookup) {
        this.lookup = lookup;
        this.machine = lookup.machine();
        this.works = lookup.works();
        this.cells = lookup.cells();
    }

    /** The rows, in the seed's order. */
    List<Table.Row> rows(List<String> columns) {
        List<Table.Row> rows = new ArrayList<>();
        rows.add(row("cpu_speedup", SeedIndex.SCALABILITY, "Speed-up on CPU work as C grows",
                "median work time (wall - start-up) at C=1 / at each larger C of cpu (" + machine.cores() + " cores here; a speed-up"
                        + " above min(cores, C) by more than 10% is marked suspect): the seed's limit is the cores for processes and the GIL for threads", columns, this::cpuSpeedup));
        rows.add(row("blocking_call", SeedIndex.SCALABILITY, "One blocking call per task: tasks/s and loop lag",
                "tasks completed / wall per trial of block (each task waits " + latency("block") + " with a blocking call,"
                        + " C=" + tableC("block") + ") beside await (the same waits without blocking) on an event loop;"
                        + " lag: the loop's own probe, a timer every 25 ms and how late it ran, worst of the last trial"
                        + " (railyard's LoopMonitor, with its count of callbacks over its slow threshold; a probe coroutine on asyncio)",
                columns, this::blockingCall));
        rows.add(row("io_client", SeedIndex.PERFORMANCE, "IO work: blocking or non-blocking client",
                "the client the io work used on each model (cell parameters), requests / wall per trial and wall / (ceil(N / C) x latency),"
                        + " io at C=" + tableC("io"), columns, this::ioClient));
        rows.add(row("offload", SeedIndex.PERFORMANCE, "Blocking call offloaded (toThread) vs held on the loop",
                "tasks / wall per trial of offload (the blocking call handed to the loop's helper threads: toThread,"
                        + " asyncio.to_thread) over the same of block, and the loop's worst lag in each, C=" + tableC("offload"),
                columns, this::offload));
        rows.add(row("code", SeedIndex.CODE_COMPLEXITY, "The same job in code: lines and concepts",
                "the example job (N GETs, body lengths added into one total) as written for each model: io.railyard.bench.examples.*Example.java"
                        + " and example_<model>.py, shown below the table. Lines: not blank, comment or docstring. Concepts: found by the"
                        + " API names and keywords in those lines: " + ExampleSources.CONCEPTS.stream()
                        .map(c -> c.name() + " (" + c.shows() + ")").collect(Collectors.joining("; ")), columns, this::code));
        rows.add(row("package", SeedIndex.PACKAGE, "What a user writes against",
                "Java: the model's pool class (its provider's poolType) and the railyard types its example imports;"
                        + " CPython: the modules its example imports; the seed's packages beside", columns, this::packages));
        rows.add(row("general", SeedIndex.GENERAL, "The seed's summary, measured",
                "the seed's words for the model's column, then, from each trial of cpu at C=" + tableC("cpu")
                        + ": the most processes and threads of the tree and the cores kept busy (medians)", columns, this::general));
        return rows;
    }

    private static Table.Row row(String key, String seedRow, String title, String how, List<String> columns,
                                 Function<String, Table.Figure> f) {
        Map<String, Table.Figure> m = new LinkedHashMap<>();
        for (String col : columns) m.put(col, f.apply(col));
        return new Table.Row(key, title, how, m, seedRow);
    }

    private int tableC(String work) {
        return lookup.tableC(work);
    }

    private String latency(String work) {
        Cell any = cells.values().stream().filter(c -> c.work().equals(work) && c.ok()).findFirst().orElse(null);
        Object l = any == null ? null : any.params().get("latency_ms");
        return l == null ? "L" : Fmt.seconds(((Number) l).doubleValue() / 1000);
    }

    /** The table's cell of a work on a model with counted trials, or the reason there is none. */
    private Object cell(String work, String model) {
        return lookup.cell(work, model);
    }

    private List<String> ids(String... ids) {
        return lookup.existing(ids);
    }

    private static double rate(CellTrial t) {
        return t.wallS() > 0 ? t.ok() / t.wallS() : 0;
    }

    private static String perSecond(double v) {
        return (v >= 100 ? Fmt.count(v) : Fmt.ratio(v)) + "/s";
    }

    private static double param(Cell c, String key) {
        Object v = c.params().get(key);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }

    /** Speed-up at each C > 1 of cpu over C=1, the work alone. */
    private Table.Figure cpuSpeedup(String model) {
        if (!works.containsKey("cpu")) return Table.Figure.none("the cpu workload was not run (not selected, or not in this build)", List.of());
        Cell one = cells.get(Cell.id("cpu", model, 1));
        List<Cell> more = cells.values().stream().filter(c -> c.work().equals("cpu") && c.model().equals(model) && c.c() > 1
                && c.ok() && !c.trials().isEmpty()).sorted(Comparator.comparingInt(Cell::c)).toList();
        List<String> ids = new ArrayList<>(ids(Cell.id("cpu", model, 1)));
        more.forEach(c -> ids.add(c.id()));
        if (one == null || !one.ok() || one.trials().isEmpty())
            return Table.Figure.none(one == null ? "cpu at C=1 was not run on " + model : one.ok() ? "cpu at C=1 has no counted trial" : one.reason(), ids);
        if (more.isEmpty()) return Table.Figure.none("cpu ran on " + model + " at C=1 only", ids);
        double base = Stats.median(one.trials(), ScalabilityAndCodeRows::work);
        List<String> parts = new ArrayList<>();
        double last = 0;
        for (Cell c : more) {
            last = base / Stats.median(c.trials(), ScalabilityAndCodeRows::work);
            int most = Math.min(machine.cores(), c.c());
            // as in the GIL row: beyond what the cores allow, the C=1 run was slowed, not the work sped up
            parts.add(Fmt.ratio(last) + "× at C=" + c.c() + (last > TableBuilder.SUSPECT_MARGIN * most ? " (above " + most + "×: suspect)" : ""));
        }
        return new Table.Figure(String.join(", ", parts), last, null, null, ids, null);
    }

    private static double work(CellTrial t) {
        return Math.max(1e-9, t.wallS() - t.startupS());
    }

    private Table.Figure blockingCall(String model) {
        Object b = cell("block", model);
        if (!(b instanceof Cell block)) return Table.Figure.none((String) b, ids(Cell.id("block", model, tableC("block"))));
        double blocked = Stats.median(block.trials(), ScalabilityAndCodeRows::rate);
        String text = perSecond(blocked);
        List<String> ids = ids(block.id());
        if (cell("await", model) instanceof Cell await) {
            double free = Stats.median(await.trials(), ScalabilityAndCodeRows::rate);
            text += " vs " + perSecond(free) + " without blocking (" + Fmt.ratio(blocked / free) + "×)";
            ids = ids(block.id(), await.id());
        } else if (block.limitS() > 0) {
            text += ", " + Fmt.ratio(Stats.median(block.trials(), t -> t.wallS() / block.limitS())) + "× limit";
        }
        text += lag(block);
        return new Table.Figure(text, blocked, Stats.min(block.trials(), ScalabilityAndCodeRows::rate),
                Stats.max(block.trials(), ScalabilityAndCodeRows::rate), ids, null);
    }

    /** "; lag max 480 ms, 1 slow callback" from a loop cell's parameters, "" for a model without a loop. */
    private static String lag(Cell c) {
        double max = param(c, "loop_lag_max_ms");
        if (Double.isNaN(max)) return "";
        String s = "; lag max " + Fmt.seconds(max / 1000);
        double slow = param(c, "loop_slow_callbacks"), threshold = param(c, "loop_slow_threshold_ms");
        if (!Double.isNaN(slow)) s += ", " + Fmt.count(slow) + (slow == 1 ? " callback" : " callbacks")
                + (Double.isNaN(threshold) ? " slow" : " over " + Fmt.seconds(threshold / 1000));
        return s;
    }

    private Table.Figure ioClient(String model) {
        Object o = cell("io", model);
        if (!(o instanceof Cell io)) return Table.Figure.none((String) o, ids(Cell.id("io", model, tableC("io"))));
        Object client = io.params().get("client");
        double rate = Stats.median(io.trials(), ScalabilityAndCodeRows::rate);
        String text = (client == null ? "client not recorded" : client.toString()) + ": " + perSecond(rate);
        if (io.limitS() > 0) text += ", " + Fmt.ratio(Stats.median(io.trials(), t -> t.wallS() / io.limitS())) + "× limit";
        return new Table.Figure(text, rate, Stats.min(io.trials(), ScalabilityAndCodeRows::rate),
                Stats.max(io.trials(), ScalabilityAndCodeRows::rate), List.of(io.id()), null);
    }

    private Table.Figure offload(String model) {
        Object o = cell("offload", model);
        if (!(o instanceof Cell off)) return Table.Figure.none((String) o, ids(Cell.id("offload", model, tableC("offload"))));
        double rate = Stats.median(off.trials(), ScalabilityAndCodeRows::rate);
        String text = perSecond(rate) + " offloaded";
        Double value = null;
        List<String> ids = ids(off.id());
        if (cell("block", model) instanceof Cell block) {
            double held = Stats.median(block.trials(), ScalabilityAndCodeRows::rate);
            value = rate / held;
            text += " vs " + perSecond(held) + " held (" + Fmt.ratio(value) + "×)";
            ids = ids(off.id(), block.id());
            double lagOff = param(off, "loop_lag_max_ms"), lagHeld = param(block, "loop_lag_max_ms");
            if (!Double.isNaN(lagOff) && !Double.isNaN(lagHeld))
                text += "; lag max " + Fmt.seconds(lagOff / 1000) + " vs " + Fmt.seconds(lagHeld / 1000);
        }
        return new Table.Figure(text, value, null, null, ids, null);
    }

    private static String language(String model) {
        return PythonModels.MODELS.contains(model) ? "python" : "java";
    }

    private Table.Figure code(String model) {
        ExampleSources.Example e = ExampleSources.of(model, language(model));
        if (e == null) return Table.Figure.none("no example of the job for " + model + " (" + ExampleSources.fileOf(model, language(model)) + ")", List.of());
        String text = e.lines() + " lines · " + (e.concepts().isEmpty() ? "no concept beyond the pool" : String.join(", ", e.concepts()));
        String seed = SeedIndex.words(SeedIndex.CODE_COMPLEXITY, model);
        if (seed != null) text += " (seed: " + seed + ")";
        return new Table.Figure(text, (double) e.lines(), null, null, List.of(), null);
    }

    private Table.Figure packages(String model) {
        String lang = language(model);
        ExampleSources.Example e = ExampleSources.of(model, lang);
        List<String> names = new ArrayList<>();
        if (lang.equals("java") && Models.has(model)) names.add(Models.get(model).poolType().getSimpleName());
        if (e != null) for (String i : e.imports()) if (!names.contains(i)) names.add(i);
        if (names.isEmpty()) return Table.Figure.none("neither the model " + model + " nor its example is in this build", List.of());
        String text = String.join(", ", names);
        String seed = SeedIndex.words(SeedIndex.PACKAGE, model);
        if (seed != null) text += " (seed: " + seed + ")";
        return new Table.Figure(text, null, null, null, List.of(), null);
    }

    private Table.Figure general(String model) {
        String seed = SeedIndex.words(SeedIndex.GENERAL, model);
        String head = seed != null ? seed : "(beyond the seed)";
        Object o = cell("cpu", model);
        if (!(o instanceof Cell cpu)) return Table.Figure.none(head + "; not measured: " + o, ids(Cell.id("cpu", model, tableC("cpu"))));
        double busy = Stats.median(cpu.trials(), CellTrial::coresUsed);
        double processes = Stats.median(cpu.trials(), CellTrial::peakProcesses), threads = Stats.median(cpu.trials(), CellTrial::peakThreads);
        String text = head + ". Measured: " + Fmt.count(processes) + (processes == 1 ? " process, " : " processes, ") + Fmt.count(threads)
                + (threads == 1 ? " thread, " : " threads, ") + Fmt.ratio(busy) + " of " + machine.cores() + " cores busy on cpu at C=" + cpu.c();
        return new Table.Figure(text, busy, Stats.min(cpu.trials(), CellTrial::coresUsed), Stats.max(cpu.trials(), CellTrial::coresUsed),
                List.of(cpu.id()), null);
    }
}
