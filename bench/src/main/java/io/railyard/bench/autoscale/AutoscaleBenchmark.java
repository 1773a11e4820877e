package io.railyard.bench.autoscale;

import io.railyard.bench.harness.ResultsJson;
import io.railyard.bench.harness.Stats;
import io.railyard.bench.workload.CpuWorkload;
import io.railyard.bench.workload.IoWorkload;
import io.railyard.core.Models;
import io.railyard.core.autoscale.AutoscaleOptions.Mode;
import io.railyard.core.autoscale.Budget;
import io.railyard.core.probe.ContainerLimits;
import io.railyard.core.probe.ProcessTreeProbe;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Does the autoscaler meet its targets? For each scenario, under one budget: a sweep of fixed
 * concurrencies finds the best one that keeps the budget, then the autoscaled pool runs
 * {@code --runs} times in each mode (railyard's and Crawlee's default algorithm, alternating), each
 * run as long as each fixed one, each in a fresh JVM ({@link TimedRun}) with the launcher's flags
 * and a heap of half the memory budget; worker JVMs ({@code processes}) get the same flags in fixed
 * and autoscaled runs (sized for the budget: {@code -XX:MaxRAM}). Printed per run: throughput and its ratio to the best fixed,
 * budget breaches (memory samples and 2 s CPU windows over the budget, judged by the harness's own
 * 20 ms sampler), and time to steady state, two ways: when the desired concurrency last moved more
 * than 20% from its final value, and when the throughput (3 s average) first reached 90% of the best
 * fixed one. Targets: ratio >= 0.9, zero breaches, steady within 10 s.
 *
 * <pre>
 *   java -cp cli/target/railyard.jar io.railyard.bench.autoscale.AutoscaleBenchmark [options]
 *     --scenarios io,cpu     which scenarios (io: GETs of 100 ms latency from the latency server
 *                            on threads; cpu: fib(30) on processes, or threads without them)
 *     --seconds 20           length of every run
 *     --runs 5               autoscaled runs per mode
 *     --io-memory 384m       the io scenario's memory budget (the cpu one: this JVM + 256 MiB)
 *     --json FILE            also write every run as JSON
 * </pre>
 *
 * Not a unit test: it takes minutes and its figures are measurements of this machine.
 */
public final class AutoscaleBenchmark {

    /** One workload on one model under one budget, with the fixed concurrencies to sweep. */
    record Scenario(String name, String model, String workArg, Budget budget, int[] sweep, Map<String, Object> params) {}

    /** What one scenario measured. */
    record Outcome(String scenario, String model, Budget budget, Map<String, Object> params, List<TimedRun.Result> fixed,
                   int bestFixed, double bestFixedTasksPerS, Map<String, List<TimedRun.Result>> autoscaled,
                   Map<String, Summary> summary) {}

    /** Medians (and ranges) over an autoscaled mode's runs. */
    record Summary(int runs, double ratioMedian, double ratioMin, double ratioMax, int breaches, double steadyMedianS,
                   double steadyMaxS, double reached90MedianS) {}

    private AutoscaleBenchmark() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> a = parse(args);
        List<String> names = List.of(a.getOrDefault("scenarios", "io,cpu").split(","));
        double seconds = Double.parseDouble(a.getOrDefault("seconds", "20"));
        int runs = Integer.parseInt(a.getOrDefault("runs", "5"));
        ContainerLimits limits = ContainerLimits.read();
        double cores = limits.effectiveCores();
        List<Outcome> outcomes = new ArrayList<>();
        for (String name : names) {
            switch (name.trim()) {
                case "io" -> {
                    int latency = Integer.parseInt(a.getOrDefault("io-latency-ms", "100"));
                    try (IoWorkload io = new IoWorkload(1, latency, a.get("io-url"))) {
                        long memory = Budget.resolve(new Budget.Request(a.getOrDefault("io-memory", "384m"), null, null, null),
                                limits, Map.of()).maxMemoryBytes();
                        Budget budget = new Budget(memory, cores, 256, 0);
                        Map<String, Object> p = new LinkedHashMap<>(Map.of("latency_ms", latency, "server", "latency server, own process"));
                        outcomes.add(run(new Scenario("io", "threads", io.target(), budget,
                                new int[]{16, 32, 64, 128, 256}, p), seconds, runs));
                    }
                }
                case "cpu" -> {
                    int k = Integer.parseInt(a.getOrDefault("cpu-k", "30"));
                    String model = Models.has("processes") ? "processes" : "threads";
                    long memory = a.containsKey("cpu-memory")
                            ? Budget.resolve(new Budget.Request(a.get("cpu-memory"), null, null, null), limits, Map.of()).maxMemoryBytes()
                            : Budget.resolve(new Budget.Request("320m", null, null, null), limits, Map.of()).maxMemoryBytes();
                    Budget budget = new Budget(memory, cores, 8, 0);
                    Map<String, Object> p = new LinkedHashMap<>(Map.of("k", k, "serial_task_s", new CpuWorkload(k, 1).serialTaskSeconds()));
                    outcomes.add(run(new Scenario("cpu", model, Integer.toString(k), budget, new int[]{1, 2, 3, 4, 6}, p),
                            seconds, runs));
                }
                default -> throw new IllegalArgumentException("unknown scenario '" + name + "': choose io, cpu");
            }
        }
        if (a.containsKey("json")) ResultsJson.write(Path.of(a.get("json")), outcomes);
    }

    static Outcome run(Scenario s, double seconds, int runs) throws Exception {
        System.out.printf(Locale.ROOT, "%n== %s on %s: budget %s; %.0f s per run%n", s.name(), s.model(), s.budget(), seconds);
        List<TimedRun.Result> fixed = new ArrayList<>();
        for (int c : s.sweep()) fixed.add(print(child(s, "fixed " + c, Integer.toString(c), seconds), -1));
        TimedRun.Result best = fixed.stream().filter(r -> r.budget().kept() && r.failed() == 0)
                .max((x, y) -> Double.compare(x.tasksPerS(), y.tasksPerS())).orElse(null);
        if (best == null) {
            System.out.println("   no fixed concurrency kept the budget: nothing to compare with");
            return new Outcome(s.name(), s.model(), s.budget(), s.params(), fixed, 0, 0, Map.of(), Map.of());
        }
        System.out.printf(Locale.ROOT, "   best fixed concurrency that keeps the budget: %d, %.1f tasks/s%n", best.concurrency(), best.tasksPerS());

        Map<String, List<TimedRun.Result>> auto = new LinkedHashMap<>();
        for (Mode m : Mode.values()) auto.put(m.label(), new ArrayList<>());
        for (int i = 0; i < runs; i++) {
            for (Mode m : Mode.values()) {
                auto.get(m.label()).add(print(child(s, m.label() + " " + (i + 1), m.label(), seconds), best.tasksPerS()));
            }
        }
        Map<String, Summary> summary = new LinkedHashMap<>();
        for (var e : auto.entrySet()) {
            List<TimedRun.Result> rs = e.getValue();
            Summary sum = new Summary(rs.size(),
                    Stats.median(rs, r -> r.tasksPerS() / best.tasksPerS()), Stats.min(rs, r -> r.tasksPerS() / best.tasksPerS()),
                    Stats.max(rs, r -> r.tasksPerS() / best.tasksPerS()),
                    rs.stream().mapToInt(r -> r.budget().breaches()).sum(),
                    Stats.median(rs, r -> r.autoscale().steadyAfterS()), Stats.max(rs, r -> r.autoscale().steadyAfterS()),
                    Stats.median(rs, r -> reachedOrRun(r, best.tasksPerS())));
            summary.put(e.getKey(), sum);
            System.out.printf(Locale.ROOT, "   %-8s x%d: throughput %.2f of the best fixed (median; %.2f..%.2f), %d budget breaches, "
                            + "concurrency steady after %.1f s (median; max %.1f), 90%% of the best fixed throughput (3 s average) "
                            + "reached after %.0f s (median; a run that never did counts as its whole length)%n",
                    e.getKey(), sum.runs(), sum.ratioMedian(), sum.ratioMin(), sum.ratioMax(), sum.breaches(), sum.steadyMedianS(),
                    sum.steadyMaxS(), sum.reached90MedianS());
        }
        return new Outcome(s.name(), s.model(), s.budget(), s.params(), fixed, best.concurrency(), best.tasksPerS(), auto, summary);
    }

    /** JVM flags of every run: the launcher's, and a heap that fits inside the memory budget. */
    static List<String> jvmFlags(Budget b) {
        return List.of("-XX:+UseSerialGC", "-Xshare:auto", "-XX:-UsePerfData", "-Xmx" + (b.maxMemoryBytes() / 2 >> 20) + "m");
    }

    /** Runs one {@link TimedRun} in a fresh JVM and reads its result. */
    static TimedRun.Result child(Scenario s, String label, String how, double seconds) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags(s.budget()));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), TimedRun.class.getName(), s.name(), s.workArg(), s.model(),
                Double.toString(seconds), Long.toString(s.budget().maxMemoryBytes()), Double.toString(s.budget().maxCpuCores()),
                Integer.toString(s.budget().maxConcurrency()), how, label));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) throw new IllegalStateException("run '" + label + "' failed (exit " + p.exitValue() + ")");
        String last = out.lines().reduce((a, b) -> b).orElseThrow(() -> new IllegalStateException("run '" + label + "' printed nothing"));
        return ResultsJson.MAPPER.readValue(last, TimedRun.Result.class);
    }

    /** When the run's throughput (3 s average) first reached 90% of the best fixed one; the run's length if never. */
    private static double reachedOrRun(TimedRun.Result r, double best) {
        double t = r.reached(0.9, best);
        return t < 0 ? r.seconds() : t;
    }

    private static TimedRun.Result print(TimedRun.Result r, double best) {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "   %-10s %8.1f tasks/s", r.label(), r.tasksPerS()));
        if (best > 0) line.append(String.format(Locale.ROOT, " (%.2f of best fixed)", r.tasksPerS() / best));
        line.append(String.format(Locale.ROOT, "  peak rss %4.0f of %4.0f MiB, %d memory samples over, peak cpu %.2f of %.2f (%d windows over)",
                r.budget().peakRssBytes() / 1048576.0, r.budget().memoryBudgetBytes() / 1048576.0, r.budget().memoryBreaches(),
                r.budget().peakCpuCores(), r.budget().cpuBudgetCores(), r.budget().cpuBreaches()));
        if (r.failed() > 0) line.append(", ").append(r.failed()).append(" failed");
        if (r.autoscale() != null) {
            int max = r.autoscale().decisions().stream().mapToInt(d -> d.to()).max().orElse(r.autoscale().finalDesired());
            line.append(String.format(Locale.ROOT, "; concurrency up to %d, %d at the end, steady after %.1f s, %d decisions",
                    max, r.autoscale().finalDesired(), r.autoscale().steadyAfterS(), r.autoscale().decisions().size()));
            if (r.autoscale().stoppedTasks() > 0) line.append(", ").append(r.autoscale().stoppedTasks()).append(" tasks stopped");
        }
        System.out.println(line);
        return r;
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length)
                throw new IllegalArgumentException("expected --option value pairs, got " + Arrays.toString(args));
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }
}
