package io.railyard.bench.processes;

import io.railyard.core.MapOptions;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFunction;
import io.railyard.core.processes.ProcessPool;
import io.railyard.core.processes.ProcessPoolOptions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Measures what the {@code processes} model costs, side by side with CPython's
 * {@code ProcessPoolExecutor} in the same run:
 * <ol>
 *   <li>worker start-up: spawn to ready, per worker, over several pool openings (median);</li>
 *   <li>tiny tasks (a task that returns its input) through {@code map} with chunking, for each
 *       chunk size, and the same work through {@code ProcessPoolExecutor.map(chunksize=...)} by the
 *       script {@code tiny_tasks.py} shipped in this module. Each chunk size runs
 *       {@code min(--tasks, 20,000 x chunk)} tasks on both sides: 20,000 round trips, so that every
 *       trial lasts long enough (about a second) that a burst of load on a shared machine does not
 *       decide it.</li>
 * </ol>
 * Every figure is measured here, warm (pools started and one warm-up pass done), median of
 * {@code --trials}; ratios are Java over CPython from this one run.
 *
 * <pre>
 *   java -cp railyard.jar io.railyard.bench.processes.ProcessesBenchmark [--workers 2] [--tasks 2000000]
 *        [--chunks 1,10,100,1000] [--trials 3] [--startups 5] [--python python3] [--jvmArgs "-Xmx256m ..."]
 * </pre>
 */
public final class ProcessesBenchmark {

    /** The tiny task: returns its input. */
    public record Identity() implements TaskFunction<Integer, Integer> {
        @Override
        public Integer apply(Integer x) {
            return x;
        }
    }

    private int workers = 2;
    /** The most tasks per measurement; each chunk size runs min(tasks, 20,000 x chunk), the same on both sides. */
    private int tasks = 2_000_000;
    private int[] chunks = {1, 10, 100, 1000};
    private int trials = 3;
    private int startups = 5;
    /** Chunks in flight per worker (queued in the parent plus running): MapOptions' prefetch. */
    private int window = 2;
    private String python = "python3";
    private List<String> jvmArgs = List.of();

    public static void main(String[] args) throws Exception {
        ProcessesBenchmark b = new ProcessesBenchmark();
        try {
            b.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("processes benchmark: " + e.getMessage());
            System.exit(2);
        }
        b.run();
        System.exit(0);
    }

    private void parse(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) throw new IllegalArgumentException(flag + " needs a value");
            String v = args[++i];
            try {
                switch (flag) {
                    case "--workers" -> workers = positive(flag, Integer.parseInt(v));
                    case "--tasks" -> tasks = positive(flag, Integer.parseInt(v));
                    case "--chunks" -> chunks = Arrays.stream(v.split(",")).mapToInt(s -> positive(flag, Integer.parseInt(s.trim()))).toArray();
                    case "--trials" -> trials = positive(flag, Integer.parseInt(v));
                    case "--startups" -> startups = positive(flag, Integer.parseInt(v));
                    case "--window" -> window = positive(flag, Integer.parseInt(v));
                    case "--python" -> python = v;
                    case "--jvmArgs" -> jvmArgs = Arrays.stream(v.split(" ")).filter(s -> !s.isBlank()).toList();
                    default -> throw new IllegalArgumentException("unknown option " + flag
                            + ": use --workers, --tasks, --chunks, --trials, --startups, --window, --python, --jvmArgs");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(flag + " " + v + " is not a whole number");
            }
        }
    }

    private static int positive(String flag, int n) {
        if (n < 1) throw new IllegalArgumentException(flag + " must be >= 1, was " + n);
        return n;
    }

    private ProcessPool open() {
        return new ProcessPool(PoolSpec.of(workers), ProcessPoolOptions.DEFAULT
                .withJvmArgs(jvmArgs)); // Identity is declared in META-INF/railyard/allow
    }

    private void run() throws Exception {
        System.out.printf(Locale.ROOT, "processes benchmark: %d workers, %d cores, java %s%n", workers,
                Runtime.getRuntime().availableProcessors(), Runtime.version());

        // 1. start-up, spawn to ready, per worker (a first pool trains the workers' AOT cache if there is none)
        try (ProcessPool first = open()) {
            System.out.println("worker AOT cache: " + (first.workerAotCache() == null
                    ? "none (the classpath has directories, or aotCache=off)"
                    : first.workerAotCache() + (java.nio.file.Files.exists(first.workerAotCache()) ? "" : " (training it now)")));
        }
        List<Long> startMillis = new ArrayList<>();
        List<Long> openMillis = new ArrayList<>();
        for (int i = 0; i < startups; i++) {
            long t0 = System.nanoTime();
            ProcessPool pool = open();
            openMillis.add((System.nanoTime() - t0) / 1_000_000);
            for (Duration d : pool.workerStartTimes()) startMillis.add(d.toMillis());
            pool.close();
        }
        System.out.printf(Locale.ROOT, "worker start-up (spawn to ready): median %d ms per worker over %d workers %s;"
                + " pool open (%d in parallel): median %d ms%n", median(startMillis), startMillis.size(), startMillis, workers, median(openMillis));

        // 2. tiny tasks, Java then CPython, per chunk size
        System.out.printf(Locale.ROOT, "tiny tasks returning their input, %d workers, median of %d trials%n", workers, trials);
        System.out.printf(Locale.ROOT, "%8s %10s %16s %16s %8s%n", "chunk", "tasks", "java tasks/s", "cpython tasks/s", "ratio");
        try (ProcessPool pool = open()) {
            for (int chunk : chunks) {
                int n = (int) Math.min(tasks, 20_000L * chunk);
                double java = javaTinyTasks(pool, n, chunk);
                double py = pythonTinyTasks(n, chunk);
                System.out.printf(Locale.ROOT, "%8d %10d %16.0f %16s %8s%n", chunk, n, java,
                        py > 0 ? String.format(Locale.ROOT, "%.0f", py) : "n/a",
                        py > 0 ? String.format(Locale.ROOT, "%.2fx", java / py) : "n/a");
            }
        }
    }

    private double javaTinyTasks(ProcessPool pool, int tasks, int chunk) {
        MapOptions options = MapOptions.chunked(chunk).withPrefetch(window * workers * chunk);
        drain(pool, Math.min(tasks, 50_000), options); // warm-up: JIT in the parent and the workers
        List<Long> nanos = new ArrayList<>();
        for (int t = 0; t < trials; t++) {
            long t0 = System.nanoTime();
            drain(pool, tasks, options);
            nanos.add(System.nanoTime() - t0);
        }
        return tasks / (median(nanos) / 1e9);
    }

    private static void drain(ProcessPool pool, int n, MapOptions options) {
        Iterator<Integer> it = pool.map(IntStream.range(0, n).boxed().iterator(), new Identity(), options);
        int expected = 0;
        while (it.hasNext()) {
            int got = it.next();
            if (got != expected++) throw new IllegalStateException("result " + got + " at position " + (expected - 1));
        }
        if (expected != n) throw new IllegalStateException(expected + " results for " + n + " inputs");
    }

    /** Runs tiny_tasks.py; its tasks/s, or -1 (with a note) when CPython is not there. */
    private double pythonTinyTasks(int tasks, int chunk) throws IOException, InterruptedException {
        Path script = Files.createTempFile("railyard-tiny-tasks-", ".py");
        try (InputStream in = ProcessesBenchmark.class.getResourceAsStream("/io/railyard/bench/python/tiny_tasks.py")) {
            Files.write(script, in.readAllBytes());
            Process p;
            try {
                p = new ProcessBuilder(python, script.toString(), "--tasks", Integer.toString(tasks), "--chunk", Integer.toString(chunk),
                        "--workers", Integer.toString(workers), "--trials", Integer.toString(trials))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            } catch (IOException e) {
                System.out.println("  (CPython not run: " + python + " not found; pass --python /path/to/python3)");
                return -1;
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
                System.out.println("  (CPython failed: " + out + ")");
                return -1;
            }
            System.out.println("  cpython: " + out);
            return Double.parseDouble(field(out, "tasks_per_s"));
        } finally {
            Files.deleteIfExists(script);
        }
    }

    /** A number field of a flat JSON object: enough for the script's own output. */
    static String field(String json, String name) {
        int at = json.indexOf("\"" + name + "\":");
        if (at < 0) throw new IllegalStateException("no " + name + " in " + json);
        int start = at + name.length() + 3;
        int end = start;
        while (end < json.length() && "0123456789.-eE ".indexOf(json.charAt(end)) >= 0) end++;
        return json.substring(start, end).trim();
    }

    private static long median(List<Long> xs) {
        List<Long> s = new ArrayList<>(xs);
        s.sort(null);
        return s.get(s.size() / 2);
    }
}
