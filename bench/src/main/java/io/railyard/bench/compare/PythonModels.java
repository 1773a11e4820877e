package io.railyard.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import io.railyard.bench.harness.Harness;
import io.railyard.bench.harness.ResultsJson;
import io.railyard.bench.harness.SubmitToStart;
import io.railyard.core.probe.ResourceSampler;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * CPython's three models ({@code threading}, {@code asyncio}, {@code multiprocessing}) on the same
 * workloads, run with the script {@code compare_models.py} shipped in this jar. Each trial is one
 * CPython process; its tree (the interpreter and its worker processes) is sampled with the same
 * {@link ResourceSampler} as Java's, rooted at the child, so the JVM's own memory is not counted.
 *
 * <pre>
 *   JVM                                       python3 compare_models.py ...
 *    | start --------------------------------->  calibrate the limit
 *    |  <------------------------------------  {"event":"ready"}
 *    | sampler.start(); "go" ---------------->  open pool, run, close pool
 *    |  <------------------------------------  {"event":"result", figures, tasks}
 *    | sampler.stop()  (child still alive, its workers reaped: their CPU is in its own)
 *    | close stdin -------------------------->  exit
 * </pre>
 *
 * <p>Lifecycle: {@link #open} finds the interpreter and extracts the script to a temp dir;
 * {@link #close} deletes it. Not thread-safe: one compare thread.
 */
public final class PythonModels implements AutoCloseable {

    public static final List<String> MODELS = List.of("threading", "asyncio", "multiprocessing");
    private static final String SCRIPT = "compare_models.py";
    private static final long TRIAL_TIMEOUT_SECONDS = 300;

    private final String executable;
    private final String version;
    private final Path dir;

    private PythonModels(String executable, String version, Path dir) {
        this.executable = executable;
        this.version = version;
        this.dir = dir;
    }

    /** What the models do, for the report's column headers. */
    public static String description(String model) {
        return switch (model) {
            case "threading" -> "CPython threads (concurrent.futures.ThreadPoolExecutor), one GIL";
            case "asyncio" -> "CPython asyncio: one thread, one event loop, cooperative";
            case "multiprocessing" -> "CPython multiprocessing.Pool: one interpreter per worker process";
            default -> model;
        };
    }

    /**
     * The version of the given interpreter ("3.11.7"), or null if it cannot be run.
     */
    public static String probeVersion(String executable) {
        try {
            Process p = new ProcessBuilder(executable, "-c", "import sys; print(sys.version.split()[0])")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 && out.matches("3\\.\\d+.*") ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /**
     * Extracts the script for {@code executable} (already probed: {@code version} is not null), and
     * finds the interpreter it really runs ({@code sys.executable}): a launcher in between, such as
     * pyenv's shim (a shell script that looks the version up), would otherwise be paid at every
     * trial's start, ~0.1 s on a quiet machine and seconds on a busy one. The trials' figures do not
     * include it either way (a trial starts once the script is ready); compare's own time does.
     */
    public static PythonModels open(String executable, String version) throws IOException {
        Path dir = Files.createTempDirectory("railyard-python-");
        // a compare stopped with Ctrl-C never reaches close(): the JVM's exit deletes the script, then the
        // directory (deleteOnExit goes in reverse order, a trial's stderr file first)
        dir.toFile().deleteOnExit();
        dir.resolve(SCRIPT).toFile().deleteOnExit();
        try (InputStream in = PythonModels.class.getResourceAsStream("/io/railyard/bench/python/" + SCRIPT)) {
            if (in == null) throw new IOException(SCRIPT + " is missing from the railyard jar");
            Files.copy(in, dir.resolve(SCRIPT));
        }
        return new PythonModels(interpreter(executable), version, dir);
    }

    /** The interpreter {@code executable} runs in the end ({@code sys.executable}), or {@code executable} when it does not say. */
    static String interpreter(String executable) {
        try {
            Process p = new ProcessBuilder(executable, "-c", "import sys; print(sys.executable)").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return executable;
            }
            return p.exitValue() == 0 && !out.isEmpty() && Files.isExecutable(Path.of(out)) ? out : executable;
        } catch (IOException | RuntimeException e) {
            return executable;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return executable;
        }
    }

    /** The interpreter the trials run (see {@link #open}). */
    public String executable() {
        return executable;
    }

    public String version() {
        return version;
    }

    /** A trial's outcome from the script, before it becomes a {@link CellTrial}. */
    record Run(CellTrial trial, double limitS, Map<String, Object> params) {}

    /**
     * Runs one trial of the work the script's {@code args} describe on {@code model} at concurrency
     * {@code c}, measuring the child's tree.
     *
     * @param progress told the tasks done when the trial ends
     * @throws IOException with the script's own one-line message when it fails
     */
    Run trial(String model, int c, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(executable, "-u", dir.resolve(SCRIPT).toString(),
                "--model", model, "--c", Integer.toString(c)));
        cmd.addAll(args);
        Path errLog = Files.createTempFile(dir, "stderr-", ".txt");
        errLog.toFile().deleteOnExit(); // before the directory, when a Ctrl-C ends the JVM mid-trial
        Process p = new ProcessBuilder(cmd).redirectError(errLog.toFile()).start();
        Thread watchdog = Thread.ofVirtual().unstarted(() -> {
            try {
                if (!p.waitFor(TRIAL_TIMEOUT_SECONDS, TimeUnit.SECONDS)) p.destroyForcibly();
            } catch (InterruptedException ignored) {
                // the trial ended first
            }
        });
        watchdog.start();
        ResourceSampler sampler = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
             Writer in = p.outputWriter(StandardCharsets.UTF_8)) {
            expect(out.readLine(), "ready", errLog);
            sampler = ResourceSampler.ofTree(p.pid()).start();
            in.write("go\n");
            in.flush();
            JsonNode result = expect(out.readLine(), "result", errLog);
            ResourceSampler.Samples s = sampler.stop();
            sampler = null;
            in.close(); // lets the script exit
            if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
            return toRun(result, s);
        } finally {
            if (sampler != null) sampler.close();
            p.destroyForcibly();
            watchdog.interrupt();
            Files.deleteIfExists(errLog);
        }
    }

    private static JsonNode expect(String line, String event, Path errLog) throws IOException {
        JsonNode j = null;
        if (line != null) {
            try {
                j = ResultsJson.MAPPER.readTree(line);
            } catch (IOException e) {
                throw new IOException("compare_models.py printed something that is not JSON: " + abbreviate(line));
            }
        }
        if (j != null && event.equals(j.path("event").asText())) return j;
        if (j != null && "error".equals(j.path("event").asText()))
            throw new IOException("compare_models.py failed: " + j.path("message").asText());
        String err = Files.exists(errLog) ? Files.readString(errLog).strip() : "";
        String last = err.isEmpty() ? "no output" : err.substring(err.lastIndexOf('\n') + 1);
        throw new IOException("compare_models.py ended before '" + event + "': " + abbreviate(last));
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private static Run toRun(JsonNode r, ResourceSampler.Samples s) {
        JsonNode t = r.get("tasks_ns");
        int n = t.get("submit").size();
        // sorted by submit time already; rebase on the first submit, like the Java trials
        long origin = n == 0 ? 0 : t.get("submit").get(0).asLong();
        CellTrial.Tasks tasks = new CellTrial.Tasks(new long[n], new long[n], new long[n], new int[n], new long[n], 0);
        for (int i = 0; i < n; i++) {
            tasks.submitUs()[i] = SubmitToStart.micros(t.get("submit").get(i).asLong(), origin);
            long start = t.get("start").get(i).asLong();
            tasks.startUs()[i] = start < 0 ? -1 : SubmitToStart.micros(start, origin);
            tasks.endUs()[i] = SubmitToStart.micros(t.get("end").get(i).asLong(), origin);
            tasks.worker()[i] = t.get("worker").get(i).asInt();
            long cpu = t.get("cpu").get(i).asLong();
            tasks.cpuUs()[i] = cpu < 0 ? -1 : cpu / 1000;
        }
        Map<String, Double> figures = new LinkedHashMap<>();
        r.path("figures").properties().forEach(e -> figures.put(e.getKey(), e.getValue().asDouble()));
        CellTrial trial = new CellTrial(r.get("wall_s").asDouble(), s.cpuNanos() / 1e9, s.peakRssBytes(),
                s.startRssBytes(), r.get("ok").asLong(), r.get("failed").asLong(), r.get("startup_s").asDouble(),
                s.peakThreads(), s.peakProcesses(), tasks, CellTrial.Series.of(s.series()), null, Harness.withOthersCores(figures, s));
        Map<String, Object> params = new LinkedHashMap<>();
        r.get("params").properties().forEach(e -> params.put(e.getKey(),
                e.getValue().isNumber() ? e.getValue().numberValue() : e.getValue().asText()));
        return new Run(trial, r.get("limit_s").asDouble(), params);
    }

    @Override
    public void close() throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(f);
        }
    }
}
