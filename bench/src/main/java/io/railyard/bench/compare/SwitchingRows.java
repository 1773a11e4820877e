package io.railyard.bench.compare;

import io.railyard.bench.harness.Stats;
import io.railyard.bench.workload.CounterWorkload;
import io.railyard.core.trace.Percentiles;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The seed's rows "Multitasking Strategy", "Switching Decision" and "Synchronization Coordinator",
 * computed from the samples of the {@code hog} and {@code counter} cells, and from nothing else
 * (see {@link io.railyard.bench.workload.HogWorkload} and {@link CounterWorkload} for the tests):
 * <ul>
 *   <li>the short tasks' submit-to-start while one hog per core computes, against the hog's
 *       length, by the rule {@link #RULE};</li>
 *   <li>the counter's lost updates without coordination and with the model's coordinator.</li>
 * </ul>
 * In a hog cell's trials, the tasks are sorted by submit time and the first {@code hogs} (a
 * parameter of the cell) are the hogs: the rest are the short tasks.
 *
 * <p>Stateless and thread-safe.
 */
public final class SwitchingRows {
    private SwitchingRows() {}

    /** Below this share of the hog's length, the short tasks' median start says the model switched the hogs out. */
    public static final double PREEMPTIVE_BELOW = 0.5;

    private static final String NO_SHORT_TASK = "no short task was both submitted after a hog began and started, in a trial of ";

    /** How "Multitasking Strategy" is derived from the hog test. */
    public static final String RULE = "preemptive (the OS switches) when the short tasks' median submit-to-start, while one hog"
            + " per core computes without yielding, is below " + PREEMPTIVE_BELOW + " x the hog's length: something took a core"
            + " from a hog; cooperative (the task decides) when it is " + PREEMPTIVE_BELOW + " x or more: the short tasks"
            + " waited for a hog to give its CPU up.";

    /** The rows, in the seed's order, for these columns. */
    static List<Table.Row> rows(CellLookup at, List<String> columns) {
        String hog = "hog", counter = "counter";
        String hogC = "hog at C=" + at.tableC(hog);
        List<Table.Row> rows = new ArrayList<>();
        rows.add(row("multitasking", "Multitasking Strategy",
                "derived from the hog test (" + hogC + "): " + RULE + " Figure: that median / the hog's length, median of trials",
                columns, m -> strategy(at, m)).withSeedRow(SeedIndex.MULTITASKING));
        rows.add(row("switching", "Switching Decision",
                "who let the short tasks start: the submit-to-start p50 and p99 (nearest rank) of the short tasks submitted"
                        + " after the first hog began, median of trials; " + hogC + ", one hog per core, 2 workers per core so a short task waits for"
                        + " a CPU, never for a worker; no warm-up run (one primer task per worker first)",
                columns, m -> switching(at, m)).withSeedRow(SeedIndex.SWITCHING));
        rows.add(row("synchronization", "Synchronization Coordinator",
                "a counter incremented by C tasks (counter at C=" + at.tableC(counter) + "), each increment a read, a little work"
                        + " and a write: updates lost without coordination, and with the model's coordinator (a lock between"
                        + " threads; IPC, the counts returned and summed, between processes; none on one loop thread);"
                        + " lost = increments - the caller's count, median of trials; no warm-up run",
                columns, m -> synchronization(at, m)).withSeedRow(SeedIndex.SYNCHRONIZATION));
        return rows;
    }

    private static Table.Row row(String key, String title, String how, List<String> columns,
                                 java.util.function.Function<String, Table.Figure> f) {
        Map<String, Table.Figure> m = new LinkedHashMap<>();
        for (String col : columns) m.put(col, f.apply(col));
        return new Table.Row(key, title, how, m);
    }

    /** The index of a hog cell's first hog in a trial's tasks (sorted by submit): after the primers. */
    public static int firstHog(Cell hogCell) {
        return hogCell.params().get("primers") instanceof Number n ? n.intValue() : 0;
    }

    /** The index of a hog cell's first short task in a trial's tasks. */
    public static int firstShort(Cell hogCell) {
        return firstHog(hogCell) + intParam(hogCell, "hogs");
    }

    /**
     * The submit-to-start of one hog trial's short tasks that were submitted while a hog ran (after
     * the first hog began), microseconds, unsorted; tasks that never started are left out.
     */
    public static long[] shortTaskStartsUs(Cell hogCell, CellTrial t) {
        CellTrial.Tasks k = t.tasks();
        int from = firstShort(hogCell);
        long hogBegan = Long.MAX_VALUE;
        for (int i = firstHog(hogCell); i < Math.min(from, k.size()); i++) if (k.startUs()[i] >= 0) hogBegan = Math.min(hogBegan, k.startUs()[i]);
        long[] q = new long[Math.max(0, k.size() - from)];
        int n = 0;
        for (int i = from; i < k.size(); i++)
            if (k.startUs()[i] >= 0 && k.submitUs()[i] >= hogBegan) q[n++] = k.startUs()[i] - k.submitUs()[i];
        return Arrays.copyOf(q, n);
    }

    /** The {@code p}-th percentile (nearest rank) of the short tasks' submit-to-start of one trial, microseconds. */
    public static double shortTaskPercentileUs(Cell hogCell, CellTrial t, double p) {
        long[] q = shortTaskStartsUs(hogCell, t);
        return Percentiles.ofUnsorted(q, q.length, p);
    }

    private static Table.Figure strategy(CellLookup at, String model) {
        Object tc = at.cell("hog", model);
        if (!(tc instanceof Cell c)) return at.missing(tc, "hog", model);
        double hogUs = longParam(c, "hog_ms") * 1e3;
        double[] share = c.trials().stream().mapToDouble(t -> shortTaskPercentileUs(c, t, 50) / hogUs).toArray();
        if (Arrays.stream(share).anyMatch(Double::isNaN)) return Table.Figure.none(NO_SHORT_TASK + c.id(), List.of(c.id()));
        double med = Stats.median(share);
        String text = (med < PREEMPTIVE_BELOW ? "Preemptive (the OS switches)" : "Cooperative (the task decides)")
                + ": short tasks started after " + Fmt.ratio(med) + " × the hog";
        return new Table.Figure(text, med, Arrays.stream(share).min().orElse(med), Arrays.stream(share).max().orElse(med), List.of(c.id()), null);
    }

    private static Table.Figure switching(CellLookup at, String model) {
        Object tc = at.cell("hog", model);
        if (!(tc instanceof Cell c)) return at.missing(tc, "hog", model);
        double hogUs = longParam(c, "hog_ms") * 1e3;
        double[] p50 = c.trials().stream().mapToDouble(t -> shortTaskPercentileUs(c, t, 50)).toArray();
        double[] p99 = c.trials().stream().mapToDouble(t -> shortTaskPercentileUs(c, t, 99)).toArray();
        if (Arrays.stream(p50).anyMatch(Double::isNaN)) return Table.Figure.none(NO_SHORT_TASK + c.id(), List.of(c.id()));
        double m50 = Stats.median(p50), m99 = Stats.median(p99);
        String who = m50 < PREEMPTIVE_BELOW * hogUs
                ? "The OS switched: short tasks started"
                : "The tasks decided: short tasks waited";
        int hogs = intParam(c, "hogs");
        String text = who + " p50 " + Fmt.micros(m50) + " · p99 " + Fmt.micros(m99) + " (" + hogs + (hogs == 1 ? " hog" : " hogs")
                + " of " + Fmt.micros(hogUs) + ")";
        if (c.params().get("switch_interval_ms") instanceof Number every)
            text += "; the interpreter asks the running thread to let the GIL go every " + Fmt.micros(every.doubleValue() * 1e3)
                    + " (sys.getswitchinterval), the OS picks the next";
        return new Table.Figure(text, m50, Arrays.stream(p50).min().orElse(m50), Arrays.stream(p50).max().orElse(m50), List.of(c.id()), null);
    }

    private static Table.Figure synchronization(CellLookup at, String model) {
        Object tc = at.cell("counter", model);
        if (!(tc instanceof Cell c)) return at.missing(tc, "counter", model);
        for (CellTrial t : c.trials())
            if (!t.figures().containsKey(CounterWorkload.LOST_PLAIN) || !t.figures().containsKey(CounterWorkload.LOST_COORDINATED))
                return Table.Figure.none("a trial of " + c.id() + " has no lost-update counts", List.of(c.id()));
        double increments = Stats.median(c.trials(), t -> t.figures().get(CounterWorkload.INCREMENTS));
        double[] plain = c.trials().stream().mapToDouble(t -> t.figures().get(CounterWorkload.LOST_PLAIN)).toArray();
        double[] share = c.trials().stream().mapToDouble(t -> t.figures().get(CounterWorkload.LOST_PLAIN) / t.figures().get(CounterWorkload.INCREMENTS)).toArray();
        double lostPlain = Stats.median(plain), lostWith = Stats.median(c.trials(), t -> t.figures().get(CounterWorkload.LOST_COORDINATED));
        String coordinator = String.valueOf(c.params().get("coordinator"));
        String label = switch (coordinator) {
            case CounterWorkload.LOCK -> "a lock (" + (c.language().equals("python") ? "threading.Lock" : "ReentrantLock") + ")";
            case CounterWorkload.IPC -> "IPC (each task's count returned, summed)";
            case CounterWorkload.NONE -> "none needed (one thread)";
            default -> coordinator;
        };
        String without = lostPlain == 0 ? "0 lost"
                : Fmt.count(lostPlain) + " lost (" + percent(lostPlain / increments)
                + (coordinator.equals(CounterWorkload.IPC) && lostPlain == increments ? ": each process counted its own copy" : "") + ")";
        String text = label + ": " + Fmt.count(lostWith) + " of " + Fmt.count(increments) + " lost · without: " + without;
        double med = Stats.median(share);
        return new Table.Figure(text, med, Arrays.stream(share).min().orElse(med), Arrays.stream(share).max().orElse(med), List.of(c.id()), null);
    }

    private static String percent(double share) {
        double p = share * 100;
        return (p >= 10 || p == 0 ? String.format(java.util.Locale.ROOT, "%.0f", p) : String.format(java.util.Locale.ROOT, "%.2g", p)) + "%";
    }

    private static int intParam(Cell c, String key) {
        return ((Number) c.params().get(key)).intValue();
    }

    private static long longParam(Cell c, String key) {
        return ((Number) c.params().get(key)).longValue();
    }
}
