package io.railyard.bench.advise;

import io.railyard.bench.compare.Fmt;
import io.railyard.bench.harness.Harness;
import io.railyard.bench.harness.RunResult;
import io.railyard.bench.harness.Trial;
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
 * <p>Climbing stops for a model when doubling-or-more the concurrency gains less than 10% (the
 * model, or the machine, is saturated) or when opening the pool gets too slow. Among results
 * within 5% of the best throughput the one with the smallest concurrency wins (fewer threads,
 * processes and memory for the same work).
 *
 * <p>Not thread-safe: one thread.
 */
public final class Advisor {

    /** One measured point: a model at a concurrency. */
    public record Point(String model, int c, long tasks, double wallS, double cpuS, double tasksPerSecond,
                        double cpuShare, long memoryPerTaskBytes, double startupS, String error) {}

    /** The advice and its evidence. */
    public record Advice(String task, int inputs, double serialTaskS, double cpuShare, String model, int c,
                         double tasksPerSecond, List<Point> points, List<String> evidence) {}

    private static final double GAIN = 1.10, NEAR_BEST = 0.95;

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
                Point p = measure(model, c, new TaskWorkload(fn, inputs, n, secondsPerPoint));
                points.add(p);
                if (p.error() != null) break;
                if (prev != null && p.tasksPerSecond() < prev.tasksPerSecond() * GAIN) break;
                if (p.startupS() > secondsPerPoint) break;
                prev = p;
            }
        }
        List<Point> ok = points.stream().filter(p -> p.error() == null && p.tasks() > 0).toList();
        if (ok.isEmpty()) throw new IllegalStateException("the task did not run on any model: " + points.get(0).error());
        double best = ok.stream().mapToDouble(Point::tasksPerSecond).max().orElse(0);
        Point pick = ok.stream().filter(p -> p.tasksPerSecond() >= best * NEAR_BEST)
                .min(Comparator.comparingInt(Point::c).thenComparingLong(Point::memoryPerTaskBytes)).orElseThrow();
        double share = ok.stream().filter(p -> p.c() == 1 && p.cpuShare() >= 0).mapToDouble(Point::cpuShare).max().orElse(-1);
        return new Advice(fn.getClass().getName(), inputs.size(), serial, share, pick.model(), pick.c(), pick.tasksPerSecond(),
                points, evidence(share, pick, ok));
    }

    private Point measure(String model, int c, TaskWorkload w) {
        try {
            // the first point of a model warms it up first (JIT, heap growth), or its memory per task is the JVM's growth
            RunResult r = new Harness(modelOptions, listener).run(w, model, c, c == 1 ? 1 : 0, 1);
            Trial t = r.trials().get(0);
            long startRss = t.series().isEmpty() ? t.peakRssBytes() : t.series().get(0).rssBytes();
            long cpuNs = 0, runNs = 0;
            for (TaskRecord rec : t.records())
                if (rec.cpuNanos() >= 0 && rec.startNanos() >= 0) {
                    cpuNs += rec.cpuNanos();
                    runNs += rec.runNanos();
                }
            // a task's own CPU time when the model tracks it, else the tree's CPU per task-second
            double share = runNs > 0 ? (double) cpuNs / runNs : (c == 1 && t.wallS() > 0 ? Math.min(1, t.cpuS() / t.wallS()) : -1);
            long tasks = t.ok();
            return new Point(model, c, tasks, t.wallS(), t.cpuS(), tasks / t.wallS(), share,
                    Math.max(0, t.peakRssBytes() - startRss) / c, t.startupS(), t.failed() > 0 ? t.failed() + " tasks failed" : null);
        } catch (Exception e) {
            return new Point(model, c, 0, 0, 0, 0, -1, 0, 0, e.getMessage() == null ? e.toString() : e.getMessage());
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

    private List<String> evidence(double share, Point pick, List<Point> ok) {
        List<String> e = new ArrayList<>();
        if (share >= 0) {
            double ideal = cores / Math.max(share, 0.01);
            e.add(String.format(Locale.ROOT, "CPU share of a task's wall time: %.0f%% (%s); cores / share suggests C ~ %s",
                    share * 100, share > 0.7 ? "CPU-bound: more tasks in flight than cores do not help"
                            : share < 0.3 ? "mostly waiting: many tasks in flight help" : "mixed", Fmt.count(Math.max(1, Math.round(ideal)))));
        }
        for (String model : ok.stream().map(Point::model).distinct().toList()) {
            List<Point> ps = ok.stream().filter(p -> p.model().equals(model)).toList();
            StringBuilder s = new StringBuilder(model + ": ");
            for (Point p : ps)
                s.append(String.format(Locale.ROOT, "C=%d %s/s, %s per task in flight; ", p.c(), Fmt.count(p.tasksPerSecond()), Fmt.bytes(p.memoryPerTaskBytes())));
            Point first = ps.get(0), top = ps.stream().max(Comparator.comparingDouble(Point::tasksPerSecond)).orElseThrow();
            s.append(String.format(Locale.ROOT, "scaling %.2fx from C=%d to C=%d", top.tasksPerSecond() / first.tasksPerSecond(), first.c(), top.c()));
            e.add(s.toString());
        }
        e.add(String.format(Locale.ROOT, "picked %s at C=%d: %s tasks/s, the smallest concurrency within 5%% of the best measured",
                pick.model(), pick.c(), Fmt.count(pick.tasksPerSecond())));
        return e;
    }
}
