package io.railyard.bench.advise;

import io.railyard.bench.compare.Fmt;
import io.railyard.bench.harness.Harness;
import io.railyard.bench.harness.RunResult;
import io.railyard.bench.harness.Trial;
import io.railyard.core.Models;
import io.railyard.core.SingleEventLoop;
import io.railyard.core.TaskFunction;
import io.railyard.core.trace.TaskRecord;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code railyard advise}: runs a user's task briefly under each model at a rising concurrency and
 * recommends the model and concurrency with the most tasks per second, with the evidence: the CPU
 * share of a task's wall time, the memory each task in flight costs, and how throughput scaled.
 *
 * <p>A point's rate counts only calls made after its pool was open and warm: each point warms its
 * own pool first (a model's first point for half a measurement, later ones for a quarter, since a
 * fresh pool of worker processes has a cold JIT of its own), and the pool's start-up is reported
 * beside the rate, never inside it. A speed-up beyond what the machine allows (the cores, or one
 * thread for an event loop, over the task's CPU share) is marked suspect, and a model whose scaling
 * is suspect is not recommended from: such a figure says that a point was slowed, not that the
 * model scales.
 *
 * <p>Climbing stops for a model when doubling-or-more the concurrency gains less than 10% (the
 * model, or the machine, is saturated) or when opening the pool gets too slow. Among results
 * within 5% of the best throughput the one with the smallest concurrency wins (fewer threads,
 * processes and memory for the same work).
 *
 * <p>Not thread-safe: one thread.
 */
public final class Advisor {

    /**
     * One measured point: a model at a concurrency. {@code tasks} and {@code tasksPerSecond} are of
     * the calls after the warm-up, over {@code measuredS}; {@code wallS} and {@code cpuS} are the whole
     * trial's (opening the pool, the warm-up, the measured calls, closing); {@code startupS} is
     * opening the pool.
     */
    public record Point(String model, int c, long tasks, double wallS, double cpuS, double tasksPerSecond,
                        double cpuShare, long memoryPerTaskBytes, double startupS, double measuredS, long warmupCalls,
                        String error) {}

    /** The advice and its evidence; {@code suspect} names the models whose scaling went beyond the machine's bound. */
    public record Advice(String task, int inputs, double serialTaskS, double cpuShare, String model, int c,
                         double tasksPerSecond, List<Point> points, List<String> suspect, List<String> evidence) {}

    private static final double GAIN = 1.10, NEAR_BEST = 0.95;
    /** How far a speed-up may exceed its bound before it is suspect: room for timing noise. */
    static final double SUSPECT_MARGIN = 1.1;

    private final TaskFunction<String, ?> fn;
    private final List<String> inputs;
    private final List<String> models;
    private final double secondsPerPoint;
    private final Harness.Listener listener;
    private final Map<String, String> modelOptions;
    private final int cores = Runtime.getRuntime().availableProcessors();

    public Advisor(TaskFunction<String, ?> fn, List<String> inputs, List<String> models, double secondsPerPoint, Harness.Listener listener) {
        this(fn, inputs, models, secondsPerPoint, listener, Map.of());
    }

    /**
     * With model-specific settings ({@code --model-option}) for every model tried; an {@code allow}
     * among them is added to the task's own package, which is always allowed.
     */
    public Advisor(TaskFunction<String, ?> fn, List<String> inputs, List<String> models, double secondsPerPoint,
                   Harness.Listener listener, Map<String, String> modelOptions) {
        if (inputs.isEmpty()) throw new IllegalArgumentException("no input: give at least one line");
        Map<String, String> options = new java.util.LinkedHashMap<>(modelOptions);
        options.merge("allow", allowed(fn), (mine, task) -> mine + "," + task);
        this.modelOptions = Map.copyOf(options);
        this.fn = fn;
        this.inputs = List.copyOf(inputs);
        this.models = List.copyOf(models);
        this.secondsPerPoint = secondsPerPoint;
        this.listener = listener;
    }

    /** The concurrency levels tried: 1, cores, then x4 up to 256. */
    List<Integer> ladder() {
        List<Integer> l = new ArrayList<>(List.of(1));
        for (int c = cores; c <= 256; c *= 4) if (!l.contains(c)) l.add(c);
        return l;
    }

    public Advice advise() throws Exception {
        TaskWorkload probe = new TaskWorkload(fn, inputs, 1, secondsPerPoint);
        double serial = probe.calibrate();
        // enough calls to fill the time budget at the best conceivable rate, bounded
        List<Point> points = new ArrayList<>();
        for (String model : models) {
            Point prev = null;
            for (int c : ladder()) {
                int n = (int) Math.max(c * 4L, Math.min(200_000, Math.round(secondsPerPoint / Math.max(serial, 1e-6) * c)));
                double warmup = secondsPerPoint * (prev == null ? 0.5 : 0.25); // the model's first point warms the longest
                Point p = measure(model, c, new TaskWorkload(fn, inputs, n, secondsPerPoint, warmup));
                points.add(p);
                if (p.error() != null) break;
                if (prev != null && p.tasksPerSecond() < prev.tasksPerSecond() * GAIN) break;
                if (p.startupS() > secondsPerPoint) break;
                prev = p;
            }
        }
        List<Point> ok = points.stream().filter(p -> p.error() == null && p.tasks() > 0).toList();
        if (ok.isEmpty()) throw new IllegalStateException("the task did not run on any model: " + points.get(0).error());
        double share = ok.stream().filter(p -> p.c() == 1 && p.cpuShare() >= 0).mapToDouble(Point::cpuShare).max().orElse(-1);
        Map<String, String> suspect = new java.util.LinkedHashMap<>();
        for (String model : ok.stream().map(Point::model).distinct().toList()) {
            String why = suspectScaling(ok.stream().filter(p -> p.model().equals(model)).toList(), share);
            if (why != null) suspect.put(model, why);
        }
        List<Point> trusted = ok.stream().filter(p -> !suspect.containsKey(p.model())).toList();
        List<Point> candidates = trusted.isEmpty() ? ok : trusted;
        double best = candidates.stream().mapToDouble(Point::tasksPerSecond).max().orElse(0);
        Point pick = candidates.stream().filter(p -> p.tasksPerSecond() >= best * NEAR_BEST)
                .min(Comparator.comparingInt(Point::c).thenComparingLong(Point::memoryPerTaskBytes)).orElseThrow();
        return new Advice(fn.getClass().getName(), inputs.size(), serial, share, pick.model(), pick.c(), pick.tasksPerSecond(),
                points, List.copyOf(suspect.keySet()), evidence(share, pick, ok, suspect, trusted.isEmpty()));
    }

    /**
     * Why a model's scaling is beyond what this machine allows, or null: from its first point to any
     * other, C times the concurrency cannot do more than the smaller of C times the work, the cores
     * over the task's CPU share (a task that computes all the time: the cores) and, for a model
     * that runs every task on one event-loop thread, once the work (the calls block it).
     */
    String suspectScaling(List<Point> ps, double share) {
        Point first = ps.get(0);
        if (first.tasksPerSecond() <= 0) return null;
        boolean oneThread = Models.get(first.model()).has(SingleEventLoop.class);
        for (Point p : ps.subList(1, ps.size())) {
            double speedup = p.tasksPerSecond() / first.tasksPerSecond();
            double bound = bound((double) p.c() / first.c(), share, oneThread);
            if (speedup > SUSPECT_MARGIN * bound)
                return String.format(Locale.ROOT, "%.2fx from C=%d to C=%d, beyond the %.2fx that %s allow%s: suspect (a slowed point, not scaling),"
                                + " not recommended from", speedup, first.c(), p.c(), bound,
                        oneThread ? "one event-loop thread running blocking calls" : cores + " cores",
                        share > 0 && !oneThread ? String.format(Locale.ROOT, " a task %.0f%% on the CPU", share * 100) : "");
        }
        return null;
    }

    /** The most a concurrency {@code ratio} times higher can multiply the rate by. */
    double bound(double ratio, double share, boolean oneThread) {
        if (oneThread) return 1;
        return share > 0 ? Math.min(ratio, Math.max(1, cores / share)) : ratio;
    }

    private Point measure(String model, int c, TaskWorkload w) {
        try {
            RunResult r = new Harness(modelOptions, listener).run(w, model, c, 0, 1);
            Trial t = r.trials().get(0);
            TaskWorkload.Measured m = w.measured();
            long startRss = t.series().isEmpty() ? t.peakRssBytes() : t.series().get(0).rssBytes();
            long cpuNs = 0, runNs = 0;
            for (TaskRecord rec : t.records())
                if (rec.cpuNanos() >= 0 && rec.startNanos() >= m.fromNanos()) { // the measured calls only
                    cpuNs += rec.cpuNanos();
                    runNs += rec.runNanos();
                }
            // a task's own CPU time when the model tracks it, else the tree's CPU per task-second
            double share = runNs > 0 ? (double) cpuNs / runNs : (c == 1 && t.wallS() > 0 ? Math.min(1, t.cpuS() / t.wallS()) : -1);
            return new Point(model, c, m.ok(), t.wallS(), t.cpuS(), m.rate(), share,
                    Math.max(0, t.peakRssBytes() - startRss) / c, t.startupS(), m.seconds(), m.warmupCalls(),
                    t.failed() > 0 ? t.failed() + " tasks failed" : null);
        } catch (Exception e) {
            return new Point(model, c, 0, 0, 0, 0, -1, 0, 0, 0, 0, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /**
     * The allow-list entry that lets worker processes and cluster members receive the user's task
     * and return its results: the task class's package (the user named the class, so its package is
     * their code, and results are usually its own types), or the class itself in the unnamed package.
     */
    static String allowed(TaskFunction<String, ?> fn) {
        String pkg = fn.getClass().getPackageName();
        return pkg.isEmpty() ? fn.getClass().getName() : pkg + ".*";
    }

    List<String> evidence(double share, Point pick, List<Point> ok, Map<String, String> suspect, boolean allSuspect) {
        List<String> e = new ArrayList<>();
        if (share >= 0) {
            double ideal = cores / Math.max(share, 0.01);
            e.add(String.format(Locale.ROOT, "CPU share of a task's wall time: %.0f%% (%s); cores / share suggests C ~ %s",
                    share * 100, share > 0.7 ? "CPU-bound: more tasks in flight than cores do not help"
                            : share < 0.3 ? "mostly waiting: many tasks in flight help" : "mixed", Fmt.count(Math.max(1, Math.round(ideal)))));
        }
        e.add("rates count the calls after each pool was open and warm; the pool's start-up is beside each rate, not in it");
        for (String model : ok.stream().map(Point::model).distinct().toList()) {
            List<Point> ps = ok.stream().filter(p -> p.model().equals(model)).toList();
            StringBuilder s = new StringBuilder(model + ": ");
            for (Point p : ps)
                s.append(String.format(Locale.ROOT, "C=%d %s/s (pool start %s), %s per task in flight; ", p.c(), Fmt.count(p.tasksPerSecond()),
                        Fmt.seconds(p.startupS()), Fmt.bytes(p.memoryPerTaskBytes())));
            Point first = ps.get(0), top = ps.stream().max(Comparator.comparingDouble(Point::tasksPerSecond)).orElseThrow();
            Point last = ps.get(ps.size() - 1);
            if (top == first && last != first) // the least concurrency was the fastest: say how the most compared
                s.append(String.format(Locale.ROOT, "no scaling: C=%d was the fastest (C=%d: %.2fx)", first.c(), last.c(),
                        last.tasksPerSecond() / first.tasksPerSecond()));
            else
                s.append(String.format(Locale.ROOT, "scaling %.2fx from C=%d to C=%d", top.tasksPerSecond() / first.tasksPerSecond(), first.c(), top.c()));
            if (suspect.containsKey(model)) s.append(" (").append(suspect.get(model)).append(")");
            e.add(s.toString());
        }
        if (allSuspect)
            e.add("every model's scaling went beyond this machine's bound (a busy machine?): the pick below rests on suspect figures; run advise again");
        e.add(String.format(Locale.ROOT, "picked %s at C=%d: %s tasks/s, the smallest concurrency within 5%% of the best measured%s",
                pick.model(), pick.c(), Fmt.count(pick.tasksPerSecond()), suspect.isEmpty() || allSuspect ? "" : " among the models not suspect"));
        return e;
    }
}
