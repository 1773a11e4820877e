package io.railyard.bench.compare;

import io.railyard.bench.harness.Stats;
import io.railyard.bench.harness.SubmitToStart;
import io.railyard.bench.harness.Trial;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * Computes the seed's table from the cells' raw samples, and from nothing else: given the cells
 * of a {@code results.json}, it gives the same table back (a test checks this). A figure is the
 * median over the counted trials with the min-max beside it; a missing figure carries the reason.
 *
 * <p>The recommended-use rule is written down in {@link #RULE} and shown in the report.
 *
 * <p>Stateless and thread-safe.
 */
public final class TableBuilder {

    /** How "recommended use" is derived from the other rows. */
    public static final String RULE = "CPU-bound work when it is not limited by a global lock (from C=1 to C=cores, both the"
            + " speed-up and the cores kept busy reach 1 + 0.5 x (cores - 1)) and CPU wall <= 1.5 x limit (or, with the pool's"
            + " start-up left out, the work alone <= 1.5 x limit: CPU-bound work that runs much longer than that start-up);"
            + " IO-bound work when IO wall <= 1.5 x limit;"
            + " high-volume IO when it held every connection tried, the most in this run; otherwise none of these.";

    private final CompareResult.Machine machine;
    private final Map<String, CompareResult.Work> works = new LinkedHashMap<>();
    private final Map<String, Cell> cells = new LinkedHashMap<>();
    private final List<Cell> all;
    private final CellLookup lookup;

    private TableBuilder(CompareResult.Machine machine, List<CompareResult.Work> works, List<Cell> cells) {
        this.machine = machine;
        for (CompareResult.Work w : works) this.works.put(w.name(), w);
        for (Cell c : cells) this.cells.put(c.id(), c);
        this.all = cells;
        this.lookup = new CellLookup(machine, this.works, this.cells);
    }

    /** The table for these models (columns, in order), works and cells. */
    public static Table build(CompareResult.Machine machine, List<CompareResult.Model> models,
                              List<CompareResult.Work> works, List<Cell> cells) {
        return new TableBuilder(machine, works, cells).table(models.stream().map(CompareResult.Model::name).toList());
    }

    /** Rebuilds the table of a result from its cells (what the round-trip test compares). */
    public static Table rebuild(CompareResult r) {
        return build(r.machine(), r.models(), r.workloads(), r.cells());
    }

    private Table table(List<String> columns) {
        int cores = machine.cores();
        List<Table.Row> rows = new ArrayList<>();
        rows.add(row("cpu_cores", "CPU cores used on CPU work",
                "tree CPU seconds / wall seconds of each trial of cpu at C=" + tableC("cpu") + "; CPU is read in clock ticks of "
                        + Fmt.seconds(machineTickS()) + ", so where that rounding could reach 5% of the cores the figure states it (±)",
                columns, this::cpuCores));
        // the seed's Multitasking Strategy, Switching Decision and Synchronization Coordinator: the hog and counter tests
        rows.addAll(SwitchingRows.rows(lookup, columns));
        rows.add(row("cpu_wall", "Wall time vs physical limit, CPU work",
                "wall / (M x t(fib K) / min(cores, C)) per trial, t(fib K) the CPU time of one on one thread, cpu at C=" + tableC("cpu"), columns,
                m -> wallVsLimit("cpu", m)));
        rows.add(row("io_wall", "Wall time vs physical limit, IO work",
                "wall / (ceil(N / C) x latency) per trial, io at C=" + tableC("io"), columns,
                m -> wallVsLimit("io", m)));
        rows.add(row("peak_rss", "Peak memory (IO work)",
                "highest RSS of the whole process tree sampled every 20 ms, io at C=" + tableC("io") + " (median of trials);"
                        + " threads, loop and virtual at the default and full scales: a fresh railyard run io command with the"
                        + " same requests, its tree sampled from outside (launcher, JVM), as each CPython trial is a new"
                        + " interpreter (FreshCommand); else the process compare ran the trials in", columns,
                this::peakMemory));
        rows.add(row("peak_rss_worker", "Peak memory per worker process (IO work)",
                "the RSS of the tree's child processes (a process pool's workers) at the sample where their sum was"
                        + " highest, over the children alive then, io at C=" + tableC("io") + " (median of trials); the"
                        + " parent that opened the pool is not in it (it is in Peak memory). RSS counts the pages a worker"
                        + " shares with the others (the JVM's library and class archive, the interpreter) in each of them,"
                        + " so the workers together hold less than their number times this", columns,
                this::peakMemoryPerWorker));
        rows.add(row("mem_per_task", "Memory per in-flight task (IO work)",
                "(peak RSS - RSS before the pool opened) / C per trial, io at C=" + tableC("io"), columns,
                m -> perTrial("io", m, t -> Math.max(0, t.peakRssBytes() - t.startRssBytes()) / (double) tableC("io"), Fmt::bytes)));
        rows.add(row("connections", "Most concurrent connections held",
                "the largest C of the connections work at which every trial held all C connections", columns,
                this::connections));
        rows.add(row("overhead", "Per-task overhead: submit-to-start latency",
                "submit-to-start, " + SubmitToStart.DEFINITION + "; p50 and p99 (nearest rank) over every task of a trial,"
                        + " median of trials; tiny tasks at C=" + tableC("tiny"), columns,
                this::overhead));
        rows.add(row("tiny_rate", "Tiny tasks per second",
                "tasks completed / wall seconds per trial, tiny at C=" + tableC("tiny"), columns,
                m -> perTrial("tiny", m, t -> t.ok() / t.wallS(), v -> Fmt.count(v) + "/s")));
        rows.add(row("startup", "Start-up cost (opening the pool)",
                "time from opening the pool to its being ready per trial, cpu at C=" + tableC("cpu"), columns,
                m -> perTrial("cpu", m, CellTrial::startupS, Fmt::seconds)));
        rows.add(row("fresh_start", "Start-up cost of a fresh command (a new process: pool + one task)",
                "a new process opens the pool, runs one task, closes the pool: wall, CPU of its tree and its tree's peak RSS"
                        + " from its start, sampled from outside every 20 ms (FreshStart); median of the trials", columns,
                this::freshStart));
        rows.add(row("gil", "Limited by a global lock on CPU work?",
                "speed-up = median wall at C=1 / median wall at C=" + cores + " on cpu, and cores busy at C=" + cores
                        + "; limited (Yes) when either is below 1 + 0.5 x (cores - 1)"
                        + "; no verdict (Can't tell) when other programs kept more than " + BUSY_MACHINE_CORES
                        + " cores busy meanwhile (the machine's busy CPU in /proc/stat less the run's)"
                        + " (Java has no GIL: this measures whether threads really run in parallel)", columns,
                this::gil));
        Map<String, Table.Figure> rec = new LinkedHashMap<>();
        for (String m : columns) rec.put(m, recommended(m, rows));
        rows.add(new Table.Row("recommended", "Recommended use", "derived from the rows above by the rule below the table", rec));
        rows.replaceAll(SeedIndex::marked);
        rows.addAll(new ScalabilityAndCodeRows(lookup).rows(columns));
        return new Table(columns, rows);
    }

    private Table.Row row(String key, String title, String how, List<String> columns, Function<String, Table.Figure> f) {
        Map<String, Table.Figure> m = new LinkedHashMap<>();
        for (String col : columns) m.put(col, f.apply(col));
        return new Table.Row(key, title, how, m);
    }

    int tableC(String work) {
        return lookup.tableC(work);
    }

    /** The table's cell of a work on a model, or a reason there is none. */
    private Object tableCell(String work, String model) {
        return lookup.cell(work, model);
    }

    private List<String> existing(String... ids) {
        return lookup.existing(ids);
    }

    private Table.Figure missing(Object reason, String work, String model) {
        return lookup.missing(reason, work, model);
    }

    private Table.Figure perTrial(String work, String model, ToDoubleFunction<CellTrial> f, Function<Double, String> fmt) {
        Object tc = tableCell(work, model);
        if (!(tc instanceof Cell c)) return missing(tc, work, model);
        double[] v = c.trials().stream().mapToDouble(f).toArray();
        return figure(v, fmt, List.of(c.id()));
    }

    /** Peak memory of the io work: a fresh command's where compare measured one (FreshCommand), else the cell's. */
    private Table.Figure peakMemory(String model) {
        Table.Figure inCell = perTrial("io", model, t -> t.peakRssBytes(), Fmt::bytes);
        Cell fresh = cells.get(Cell.id(FreshCommand.WORK, model, tableC("io")));
        if (fresh == null) return inCell;
        if (!fresh.ok() || fresh.trials().isEmpty())
            return !inCell.present() ? inCell : inCell.withText(" (in compare's JVM: the fresh command failed: "
                    + (fresh.reason() == null ? "no trial" : fresh.reason()) + ")");
        return figure(fresh.trials().stream().mapToDouble(t -> t.peakRssBytes()).toArray(), Fmt::bytes, List.of(fresh.id()))
                .withText(" (a fresh command)");
    }

    /** Peak RSS per child process of the io cell's tree (see {@link CellTrial.Series#peakRssPerChildBytes()}). */
    private Table.Figure peakMemoryPerWorker(String model) {
        Object tc = tableCell("io", model);
        if (!(tc instanceof Cell c)) return missing(tc, "io", model);
        double[] v = c.trials().stream().mapToDouble(t -> t.series().peakRssPerChildBytes()).filter(x -> !Double.isNaN(x)).toArray();
        if (v.length == 0) return Table.Figure.none("no worker processes: the tasks ran in one process", List.of(c.id()));
        // a tenth of a MiB: the flags of a worker JVM move it by about one
        return figure(v, b -> String.format(java.util.Locale.ROOT, "%.1f MiB", b / (1 << 20)), List.of(c.id()));
    }

    /** Cores busy on cpu, with the bound of its clock-tick rounding where that is not small (see {@link io.railyard.core.probe.CoresBusy}). */
    private Table.Figure cpuCores(String model) {
        Table.Figure f = perTrial("cpu", model, CellTrial::coresUsed, v -> Fmt.ratio(v));
        if (!f.present() || !(tableCell("cpu", model) instanceof Cell c)) return f;
        double rounding = Stats.median(c.trials(), t -> t.wallS() > 0 ? t.series().cpuRoundingS() / t.wallS() : 0);
        if (rounding < 0.05 * machine.cores()) return f;
        return f.withText(" ± " + Fmt.ratio(rounding) + " (clock ticks)");
    }

    /** The clock tick CPU times are read in, seconds, from the samples (10 ms where none says). */
    private double machineTickS() {
        for (Cell c : all) for (CellTrial t : c.trials()) if (t.series().tickNanos() > 0) return t.series().tickNanos() / 1e9;
        return 0.01;
    }

    private static Table.Figure figure(double[] v, Function<Double, String> fmt, List<String> ids) {
        double med = Stats.median(v), min = Arrays.stream(v).min().orElse(med), max = Arrays.stream(v).max().orElse(med);
        String text = fmt.apply(med);
        if (v.length > 1 && !fmt.apply(min).equals(fmt.apply(max))) text += " (" + fmt.apply(min) + "–" + fmt.apply(max) + ")";
        return new Table.Figure(text, med, min, max, ids, null);
    }

    private Table.Figure wallVsLimit(String work, String model) {
        Object tc = tableCell(work, model);
        if (!(tc instanceof Cell c)) return missing(tc, work, model);
        if (c.limitS() <= 0) return Table.Figure.none("no physical limit was computed for " + c.id(), List.of(c.id()));
        double[] v = c.trials().stream().mapToDouble(t -> t.wallS() / c.limitS()).toArray();
        return figure(v, r -> Fmt.ratio(r) + "×", List.of(c.id()));
    }

    /** Percentile of the tasks' submit-to-start latency, microseconds: {@link SubmitToStart}, as in {@code run --json}. */
    public static double queuedPercentile(CellTrial.Tasks t, double p) {
        return SubmitToStart.percentileUs(t.submitUs(), t.startUs(), p);
    }

    private Table.Figure overhead(String model) {
        Object tc = tableCell("tiny", model);
        if (!(tc instanceof Cell c)) return missing(tc, "tiny", model);
        double[] p50 = c.trials().stream().mapToDouble(t -> queuedPercentile(t.tasks(), 50)).toArray();
        double[] p99 = c.trials().stream().mapToDouble(t -> queuedPercentile(t.tasks(), 99)).toArray();
        double m50 = Stats.median(p50), m99 = Stats.median(p99);
        int estimated = c.trials().stream().mapToInt(t -> t.tasks().estimatedStarts()).sum();
        String note = estimated == 0 ? "" : " (" + Fmt.count(estimated) + " of " + Fmt.count(c.trials().stream().mapToInt(t -> t.tasks().size()).sum())
                + " starts: round trip minus run time, on a member elsewhere)";
        return new Table.Figure("p50 " + Fmt.micros(m50) + " · p99 " + Fmt.micros(m99) + note, m50,
                Arrays.stream(p50).min().orElse(m50), Arrays.stream(p50).max().orElse(m50), List.of(c.id()), null);
    }

    private Table.Figure connections(String model) {
        if (!works.containsKey("connections"))
            return Table.Figure.none("the connections workload was not run (not selected, or not in this build)", List.of());
        int held = 0;
        List<String> ids = new ArrayList<>();
        String firstFailure = null;
        for (Cell c : all) {
            if (!c.work().equals("connections") || !c.model().equals(model)) continue;
            ids.add(c.id());
            boolean all = c.ok() && !c.trials().isEmpty() && c.trials().stream().allMatch(t -> t.failed() == 0 && t.ok() >= c.c());
            if (all) held = Math.max(held, c.c());
            else if (firstFailure == null) firstFailure = "C=" + Fmt.count(c.c()) + ": " + (c.ok() ? "not every connection was held" : c.reason());
        }
        if (held == 0) return Table.Figure.none(firstFailure != null ? firstFailure : "connections was not run on " + model, ids);
        String text = Fmt.count(held) + (firstFailure != null ? " (not " + firstFailure.substring(2, firstFailure.indexOf(':')) + ")" : "");
        return new Table.Figure(text, (double) held, (double) held, (double) held, ids, null);
    }

    /** Other programs' cores (average over the C=cores trials) beyond which the global-lock row gives no verdict. */
    static final double BUSY_MACHINE_CORES = 0.5;

    private Table.Figure gil(String model) {
        int cores = machine.cores(), top = tableC("cpu");
        Cell one = cells.get(Cell.id("cpu", model, 1)), many = cells.get(Cell.id("cpu", model, top));
        List<String> ids = existing(Cell.id("cpu", model, 1), Cell.id("cpu", model, top));
        if (!works.containsKey("cpu")) return Table.Figure.none("the cpu workload was not run", ids);
        if (top <= 1) return Table.Figure.none("one core: nothing to run in parallel", ids);
        for (Cell c : new Cell[]{many, one})
            if (c == null || !c.ok() || c.trials().isEmpty())
                return Table.Figure.none(c == null ? "cpu at C=1 and C=" + top + " are both needed" : c.reason(), ids);
        // the work alone: starting C worker processes or members is the start-up row's business, and
        // on a small cell it would read as "no speed-up", i.e. as a lock that is not there
        ToDoubleFunction<CellTrial> wall = t -> Math.max(1e-9, t.wallS() - t.startupS());
        double speedup = Stats.median(one.trials(), wall) / Stats.median(many.trials(), wall);
        double min = Stats.min(one.trials(), wall) / Stats.max(many.trials(), wall);
        double max = Stats.max(one.trials(), wall) / Stats.min(many.trials(), wall);
        double busy = Stats.median(many.trials(), CellTrial::coresUsed);
        boolean limited = limited(speedup, busy, Math.min(cores, top));
        String text = (limited ? "Yes: " : "No: ") + Fmt.ratio(speedup) + "× faster, " + Fmt.ratio(busy) + " cores busy with C=" + top;
        // cores that other programs held were not there to run in parallel on: no verdict from them
        double others = Stats.median(many.trials(), t -> t.figures().getOrDefault(Trial.OTHERS_CORES, 0.0));
        if (others > BUSY_MACHINE_CORES)
            text = "Can't tell: other programs kept " + Fmt.ratio(others) + " of the " + cores + " cores busy meanwhile ("
                    + Fmt.ratio(speedup) + "× faster, " + Fmt.ratio(busy) + " cores busy with C=" + top + ")";
        // C workers on this many cores cannot do more than min(C, cores) times the work of one: a
        // figure beyond that says the C=1 run was slowed (a cold JIT, a busy machine), not a fact
        if (speedup > SUSPECT_MARGIN * Math.min(cores, top)) text += " (above " + Math.min(cores, top) + "×, the most " + cores
                + " cores allow: suspect)";
        return new Table.Figure(text, speedup, min, max, ids, null);
    }


    /** The fresh-start row's figure: a new process's wall, CPU and peak memory to its pool's first task done. */
    private Table.Figure freshStart(String model) {
        String id = Cell.id(FreshStart.WORK, model, 1);
        Cell c = cells.get(id);
        if (c == null) return Table.Figure.none("not measured in this run (compare measures it at the default and full scales)", List.of());
        if (!c.ok()) return Table.Figure.none(c.reason(), List.of(id));
        if (c.trials().isEmpty()) return Table.Figure.none("no trial", List.of(id));
        Table.Figure wall = figure(c.trials().stream().mapToDouble(CellTrial::wallS).toArray(), Fmt::seconds, List.of(id));
        String text = wall.text() + " · CPU " + Fmt.seconds(Stats.median(c.trials(), CellTrial::cpuS))
                + " · peak " + Fmt.bytes(Stats.median(c.trials(), t -> (double) t.peakRssBytes()));
        return new Table.Figure(text, wall.value(), wall.min(), wall.max(), wall.cells(), null);
    }

    /** How far a speed-up may exceed the cores before it is marked suspect: room for timing noise. */
    static final double SUSPECT_MARGIN = 1.1;

    /**
     * Limited by a global lock (or one thread) when C threads neither speed the work up nor keep
     * the cores busy: both must reach 1 + 0.5 x (parallelism - 1), so a loaded machine that slows
     * one trial cannot make a single-threaded model look parallel.
     */
    static boolean limited(double speedup, double coresBusy, int parallelism) {
        double need = 1 + 0.5 * (parallelism - 1);
        return speedup < need || coresBusy < need;
    }

    private Table.Figure recommended(String model, List<Table.Row> rows) {
        Map<String, Table.Figure> by = new LinkedHashMap<>();
        for (Table.Row r : rows) by.put(r.key(), r.figures().get(model));
        int cores = machine.cores(), top = tableC("cpu");
        List<String> uses = new ArrayList<>(), unmeasured = new ArrayList<>();
        Table.Figure gil = by.get("gil"), cpu = by.get("cpu_wall"), io = by.get("io_wall"), conn = by.get("connections");
        if (gil.present() && cpu.present()) {
            if (gil.text().startsWith("No") && cpu.value() <= 1.5) uses.add("CPU-bound work");
            else if (gil.text().startsWith("No") && tableCell("cpu", model) instanceof Cell c && c.limitS() > 0) {
                double work = Stats.median(c.trials(), t -> (t.wallS() - t.startupS()) / c.limitS());
                if (work <= 1.5) uses.add("CPU-bound work much longer than its "
                        + Fmt.seconds(Stats.median(c.trials(), CellTrial::startupS)) + " start-up");
            }
        } else unmeasured.add("CPU");
        if (io.present()) {
            if (io.value() <= 1.5) uses.add("IO-bound work");
        } else unmeasured.add("IO");
        int most = all.stream().filter(c -> c.work().equals("connections")).mapToInt(Cell::c).max().orElse(0);
        if (conn.present() && most > 0) {
            if (conn.value() >= most) uses.add("high-volume IO (" + Fmt.count(most) + " connections)");
        } else if (!conn.present()) unmeasured.add("connections");
        List<String> ids = new ArrayList<>();
        for (String k : List.of("gil", "cpu_wall", "io_wall", "connections"))
            for (String id : by.get(k).cells()) if (!ids.contains(id)) ids.add(id);
        String text = uses.isEmpty() ? "none of the measured uses" : String.join("; ", uses);
        if (!unmeasured.isEmpty()) text += " (" + String.join(", ", unmeasured) + " not measured)";
        return new Table.Figure(text, (double) uses.size(), null, null, ids, null);
    }
}
