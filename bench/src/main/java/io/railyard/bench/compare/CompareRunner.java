package io.railyard.bench.compare;

import io.railyard.bench.harness.Harness;
import io.railyard.bench.harness.RunResult;
import io.railyard.bench.harness.Trial;
import io.railyard.bench.workload.Scale;
import io.railyard.bench.workload.Workload;
import io.railyard.bench.workload.IoWorkload;
import io.railyard.bench.workload.Workloads;
import io.railyard.core.Models;
import io.railyard.core.probe.ContainerLimits;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs every selected workload, at each of its concurrency levels, on every selected model (Java
 * models through the {@link Harness}, CPython ones through {@link PythonModels}) and assembles the
 * {@link CompareResult}. A cell that cannot run gets its reason: a workload without a form for the
 * model, a failure, or an estimate that it would not fit this machine (memory) or the time budget,
 * made from what smaller cells of the same model measured.
 *
 * <p>Order: workload, then concurrency, then model; so every model's small cells run before its
 * large ones and feed the estimates. Not thread-safe: one thread runs a comparison.
 */
public final class CompareRunner {

    /** Told what the comparison is doing, for progress bars. Called on the runner's thread except {@link #cellProgress}. */
    public interface Listener {
        Listener NONE = new Listener() {};

        /** Cell {@code index} of {@code total} starts; {@code steps} is its work (runs x tasks). */
        default void cellStarted(int index, int total, String label, long steps) {}

        /** Steps done so far in the current cell; from any thread. */
        default void cellProgress(long done) {}

        default void cellFinished(Cell cell) {}
    }

    /** The share of memory a single cell may be estimated to need before it is skipped. */
    private static final double MEMORY_SHARE = 0.6;

    private final CompareOptions options;
    private final Listener listener;
    private final int cores = Runtime.getRuntime().availableProcessors();
    /** Per model, the start-up and memory growth measured so far, by concurrency: what estimates extrapolate. */
    private final Map<String, TreeMap<Integer, double[]>> measured = new HashMap<>();

    public CompareRunner(CompareOptions options, Listener listener) {
        this.options = options;
        this.listener = listener;
    }

    /** The machine a comparison runs on. */
    public static CompareResult.Machine machine() {
        ContainerLimits limits = ContainerLimits.read();
        return new CompareResult.Machine(Runtime.getRuntime().availableProcessors(), limits.effectiveMemoryBytes(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                Runtime.version().toString(), System.getProperty("java.vm.name"));
    }

    /** Seconds a cell may be estimated to take before it is skipped. */
    static double cellBudgetSeconds(Scale s) {
        return switch (s) {
            case TINY -> 20;
            case QUICK -> 6;
            case DEFAULT -> 20;
            case FULL -> 90;
        };
    }

    public CompareResult run() throws Exception {
        long t0 = System.nanoTime();
        String startedAt = Instant.now().toString();
        CompareResult.Machine machine = machine();
        List<Workloads.Entry> entries = options.workloads().stream().map(Workloads::get).toList();
        List<CompareResult.Work> works = new ArrayList<>();
        int total = 0;
        for (Workloads.Entry e : entries) {
            List<Integer> levels = levels(e);
            List<Integer> defaults = e.levels().at(Scale.DEFAULT, cores);
            int top = defaults.get(defaults.size() - 1);
            works.add(new CompareResult.Work(e.name(), e.summary(), levels, levels.contains(top) ? top : levels.get(levels.size() - 1)));
            total += levels.size() * (options.javaModels().size() + (options.python() == null ? 0 : options.pythonModels().size()));
        }
        boolean freshStarts = options.scale() == Scale.DEFAULT || options.scale() == Scale.FULL;
        List<String> freshIo = !freshStarts || !options.workloads().contains("io") ? List.of()
                : FreshCommand.MODELS.stream().filter(options.javaModels()::contains).toList();
        if (freshStarts) // the fresh starts (FreshStart), one cell per model, and the io work's fresh commands (FreshCommand)
            total += options.javaModels().size() + (options.python() == null ? 0 : options.pythonModels().size()) + freshIo.size();
        List<CompareResult.Model> models = new ArrayList<>();
        for (String m : options.javaModels()) models.add(new CompareResult.Model(m, "java", Models.get(m).description()));
        for (String m : options.pythonModels()) models.add(new CompareResult.Model(m, "python", PythonModels.description(m)));

        List<Cell> cells = new ArrayList<>();
        PythonModels python = options.python() == null ? null : PythonModels.open(options.python(), options.pythonVersion());
        try {
            int index = 0;
            for (Workloads.Entry e : entries) {
                for (int c : levels(e)) {
                    try (Workload w = e.factory().create(options.scale(), c)) {
                        boolean tableCell = c == tableC(works, e.name());
                        // at the scales whose table is the result, its own cells run even when slow (wontFit)
                        boolean mustRun = tableCell && (options.scale() == Scale.DEFAULT || options.scale() == Scale.FULL);
                        for (String m : options.javaModels()) {
                            listener.cellStarted(++index, total, label(e.name(), m, c), (w.warmupRuns(options.warmup()) + options.trials()) * w.tasks());
                            Cell cell = runJava(w, e.name(), m, c, mustRun);
                            cells.add(cell);
                            listener.cellFinished(cell);
                        }
                        if (python != null) {
                            List<String> args = e.python().args(options.scale(), c, w);
                            for (String m : options.pythonModels()) {
                                listener.cellStarted(++index, total, label(e.name(), m, c), (long) options.trials() * w.tasks());
                                Cell cell = args.isEmpty()
                                        ? Cell.skipped(e.name(), m, "python", c, "no CPython form of the " + e.name() + " workload yet")
                                        : !w.supports(m) ? Cell.skipped(e.name(), m, "python", c, w.unsupportedReason(m))
                                        : runPython(python, w, e.name(), m, c, args, mustRun);
                                cells.add(cell);
                                listener.cellFinished(cell);
                            }
                        }
                        // the io work's peak memory of a fresh command, at the table's concurrency (FreshCommand)
                        if (w instanceof IoWorkload io && tableCell) for (String m : freshIo) {
                            listener.cellStarted(++index, total, label(FreshCommand.WORK, m, c), w.tasks());
                            Cell cell = FreshCommand.io(m, c, w.tasks(), io.latencyMs(), io.target());
                            cells.add(cell);
                            listener.cellFinished(cell);
                        }
                    }
                }
            }
            // a fresh command per model, Java's and CPython's alike (FreshStart), at the default and full
            // scales: a JVM's start is most of a second of --quick's budget per model
            if (freshStarts) {
                for (String m : options.javaModels()) {
                    listener.cellStarted(++index, total, label(FreshStart.WORK, m, 1), options.trials());
                    Cell cell = FreshStart.java(m, options.trials());
                    cells.add(cell);
                    listener.cellFinished(cell);
                }
                if (python != null) for (String m : options.pythonModels()) {
                    listener.cellStarted(++index, total, label(FreshStart.WORK, m, 1), options.trials());
                    Cell cell = FreshStart.python(python.executable(), m, options.trials());
                    cells.add(cell);
                    listener.cellFinished(cell);
                }
            }
        } finally {
            if (python != null) python.close();
        }
        for (String m : options.pythonModels()) {
            if (python == null) for (CompareResult.Work w : works)
                cells.add(Cell.skipped(w.name(), m, "python", w.tableC(), options.pythonReason()));
        }
        CompareResult.PythonInfo pyInfo = new CompareResult.PythonInfo(python != null, options.python(),
                options.pythonVersion(), python != null ? null : options.pythonReason());
        CompareResult.Config config = new CompareResult.Config(options.scale().name().toLowerCase(), options.warmup(),
                options.trials(), options.javaModels(), options.workloads());
        Table table = TableBuilder.build(machine, models, works, cells);
        return new CompareResult(CompareResult.VERSION, startedAt, (System.nanoTime() - t0) / 1e9, machine, config,
                models, works, pyInfo, cells, table);
    }

    private static int tableC(List<CompareResult.Work> works, String name) {
        return works.stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow().tableC();
    }

    private List<Integer> levels(Workloads.Entry e) {
        return e.levels().at(options.scale(), cores).stream().distinct().sorted().toList();
    }

    private int runs() {
        return options.warmup() + options.trials();
    }

    /** Runs of a cell of {@code model}: CPython's cells have no warm-up run (see {@link #runPython}). */
    private int runsOf(String model) {
        return PythonModels.MODELS.contains(model) ? options.trials() : runs();
    }

    private static String label(String work, String model, int c) {
        return work + " on " + model + ", C=" + c;
    }

    /**
     * Why a cell would not fit, estimated from the model's smaller cells; null when it may run.
     * Start-up and memory are extrapolated along the line through the two largest concurrencies
     * measured (a fixed cost, such as a JVM warming up at C=1, then does not read as a cost per
     * unit); with one measured concurrency, only one of at least {@link #MIN_C_TO_EXTRAPOLATE}.
     * Start-up counts twice: what grows with it (worker processes) is paid again after it, when each
     * worker first sets up what its tasks use (its first sockets: ~30-60 ms of CPU) and when it
     * exits, so start-up plus the limit alone underestimates a cell of many workers. At the default
     * and full scales the time rule spares the table's own cell of a workload ({@code mustRun}): a
     * row of the table must not come and go with an estimate made on a noisy machine (--quick keeps
     * the rule: it is the fast look); the memory rule, which protects the machine, holds for every cell.
     */
    private String wontFit(String model, Workload w, int c, boolean mustRun) throws Exception {
        TreeMap<Integer, double[]> m = measured.get(model);
        if (m == null) return null;
        double startup = extrapolate(m, 0, c), memory = extrapolate(m, 1, c);
        long budget = (long) (CompareRunner.machine().memoryBytes() * MEMORY_SHARE);
        if (memory > budget)
            return String.format("C=%s would need ~%s (extrapolated from C=%s), over %s of this machine's %s",
                    Fmt.count(c), Fmt.bytes(memory), measuredLevels(m), Math.round(MEMORY_SHARE * 100) + "%",
                    Fmt.bytes(CompareRunner.machine().memoryBytes()));
        int runs = runsOf(model);
        double seconds = runs * (2 * startup + 1.5 * w.limitSeconds(c));
        if (!mustRun && seconds > cellBudgetSeconds(options.scale()))
            return String.format("C=%s would take ~%s (start-up %s extrapolated from C=%s, %d runs), over this scale's %s per cell",
                    Fmt.count(c), Fmt.seconds(seconds), Fmt.seconds(startup), measuredLevels(m), runs,
                    Fmt.seconds(cellBudgetSeconds(options.scale())));
        return null;
    }

    /** Below this, one measured concurrency says nothing about the cost per unit. */
    static final int MIN_C_TO_EXTRAPOLATE = 8;

    /** Figure {@code i} at concurrency {@code c}, on the line through the two largest measured levels; 0 if unknown. */
    static double extrapolate(TreeMap<Integer, double[]> m, int i, int c) {
        Map.Entry<Integer, double[]> hi = m.lastEntry(), lo = m.lowerEntry(hi.getKey());
        if (lo == null) return hi.getKey() >= MIN_C_TO_EXTRAPOLATE ? hi.getValue()[i] / hi.getKey() * c : 0;
        double slope = Math.max(0, (hi.getValue()[i] - lo.getValue()[i]) / (hi.getKey() - lo.getKey()));
        return hi.getValue()[i] + slope * (c - hi.getKey());
    }

    private static String measuredLevels(TreeMap<Integer, double[]> m) {
        return m.keySet().stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "));
    }

    private void learn(Cell cell) {
        if (!cell.ok()) return;
        double[] at = measured.computeIfAbsent(cell.model(), k -> new TreeMap<>()).computeIfAbsent(cell.c(), k -> new double[2]);
        for (CellTrial t : cell.trials()) {
            at[0] = Math.max(at[0], t.startupS());
            at[1] = Math.max(at[1], Math.max(0, t.peakRssBytes() - t.startRssBytes()));
        }
    }

    private Cell runJava(Workload w, String work, String model, int c, boolean mustRun) {
        try {
            if (!w.supports(model)) return Cell.skipped(work, model, "java", c, w.unsupportedReason(model));
            String no = wontFit(model, w, c, mustRun);
            if (no != null) return Cell.skipped(work, model, "java", c, model + ": " + no);
            long tasks = w.tasks();
            Harness harness = withBudget(new Harness(options.modelOptions(), new Harness.Listener() {
                private int run = -1;

                @Override
                public void runStarted(String label, long n) {
                    run++;
                }

                @Override
                public void taskDone(long done, long failed) {
                    listener.cellProgress(run * tasks + done + failed);
                }
            }));
            RunResult r = harness.run(w, model, c, w.warmupRuns(options.warmup()), options.trials());
            String failedTasks = failedTasks(r.trials().stream().mapToLong(Trial::failed).sum(), r.trials().size() * tasks, r.failures());
            if (failedTasks != null) return Cell.failed(work, model, "java", c, failedTasks);
            List<CellTrial> trials = new ArrayList<>();
            for (Trial t : r.trials()) trials.add(CellTrial.of(t));
            Cell cell = new Cell(Cell.id(work, model, c), model, "java", work, c, Cell.OK, null, r.limitS(),
                    new LinkedHashMap<>(r.params()), trials);
            learn(cell);
            return cell;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Cell.failed(work, model, "java", c, "interrupted");
        } catch (Exception | OutOfMemoryError e) {
            return Cell.failed(work, model, "java", c, oneLine(e));
        }
    }

    /**
     * Why a cell's figures are not its work's, or null ({@code failed} of its {@code tasks} failed,
     * by reason when known): a cell's time and memory, Java's or CPython's, measure the work only
     * when every task did it (a task that fails at once, a class missing in a worker for one, costs
     * nothing and would read as a fast, light model).
     */
    static String failedTasks(long failed, long tasks, Map<String, Long> reasons) {
        if (failed == 0) return null;
        return failed + " of " + tasks + " tasks failed" + (reasons.isEmpty() ? "" : " " + reasons);
    }

    private Cell runPython(PythonModels python, Workload w, String work, String model, int c, List<String> args, boolean mustRun) {
        try {
            String no = wontFit(model, w, c, mustRun);
            if (no != null) return Cell.skipped(work, model, "python", c, model + ": " + no);
            // each trial is a fresh interpreter, which a warm-up run would leave as cold as it found it:
            // CPython runs the counted trials only
            List<CellTrial> trials = new ArrayList<>();
            PythonModels.Run last = null;
            for (int i = 0; i < options.trials(); i++) {
                last = python.trial(model, c, args);
                trials.add(last.trial());
                listener.cellProgress((i + 1) * w.tasks());
            }
            String failedTasks = failedTasks(trials.stream().mapToLong(CellTrial::failed).sum(), trials.size() * w.tasks(), Map.of());
            if (failedTasks != null) return Cell.failed(work, model, "python", c, failedTasks);
            Cell cell = new Cell(Cell.id(work, model, c), model, "python", work, c, Cell.OK, null, last.limitS(),
                    last.params(), trials);
            learn(cell);
            return cell;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Cell.failed(work, model, "python", c, "interrupted");
        } catch (Exception e) {
            return Cell.failed(work, model, "python", c, oneLine(e));
        }
    }

    /** The harness judging (and with --autoscale, autoscaling) trials in the budget, when one was given. */
    private Harness withBudget(Harness harness) {
        return options.budget() == null ? harness : harness.withBudget(options.budget(), options.autoscale());
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
