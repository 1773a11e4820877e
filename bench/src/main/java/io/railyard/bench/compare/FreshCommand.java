package io.railyard.bench.compare;

import com.fasterxml.jackson.databind.JsonNode;
import io.railyard.bench.harness.ResultsJson;
import io.railyard.core.probe.ResourceSampler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * compare's "Peak memory (IO work)" for the models that run their tasks in the command's own JVM
 * ({@link #MODELS}: threads, loop, virtual): the io work at the table's concurrency, with the same
 * requests, latency and server, run by a fresh {@code railyard run io ... --json} command and
 * sampled from outside: the tree of a new process, as every CPython cell is a new interpreter. The
 * cells compare runs in its own JVM carry compare itself (its harness, every earlier cell's heap
 * and classes, the start-up cache of every command), which is not what a program doing that work
 * needs. The processes and cluster models' trees are their workers and member, so their figure is
 * the cell's.
 *
 * <p>The command is the launcher ({@code <railyard.home>/railyard}, with the flags it gives that
 * kind of command) when compare runs from it, else a JVM like compare's running the CLI's main
 * class. An unmeasured run of each model comes first, so that a start-up cache the launcher
 * records once per build is not in the figure. One trial per model. Not thread-safe: one compare thread.
 */
public final class FreshCommand {
    private FreshCommand() {}

    /** The work's name in cell ids ({@code fresh-io.loop.c64}). */
    static final String WORK = "fresh-io";
    /** The models whose tasks run in the command's JVM. */
    static final List<String> MODELS = List.of("threads", "loop", "virtual");
    private static final String MAIN = "io.railyard.cli.Main";
    private static final long TIMEOUT_SECONDS = 300;

    /** The command line of {@code railyard ARGS}: the launcher when there is one, else a JVM like this one. */
    static List<String> railyard(List<String> args) {
        String home = System.getProperty("railyard.home");
        Path launcher = home == null ? null : Path.of(home, "railyard");
        if (launcher != null && Files.isExecutable(launcher)) {
            List<String> cmd = new ArrayList<>(List.of(launcher.toString()));
            cmd.addAll(args);
            return cmd;
        }
        return FreshStart.thisJvm(MAIN, args);
    }

    /** The arguments of {@code run io} for {@code n} GETs of {@code url}, {@code c} in flight. */
    static List<String> ioArgs(String model, int c, long n, int latencyMs, String url) {
        return List.of("run", "io", "--model", model, "-c", Integer.toString(c), "-n", Long.toString(n),
                "--latency-ms", Integer.toString(latencyMs), "--url", url, "--json");
    }

    /** The io work on {@code model} by a fresh command, one trial, as a cell. */
    public static Cell io(String model, int c, long n, int latencyMs, String url) {
        try {
            trial(railyard(ioArgs(model, 1, 1, latencyMs, url))); // unmeasured: a start-up cache recorded once, the page cache
            CellTrial t = trial(railyard(ioArgs(model, c, n, latencyMs, url)));
            if (t.ok() != n) return Cell.failed(WORK, model, "java", c, "the fresh command answered " + t.ok() + " of " + n + " requests");
            return new Cell(Cell.id(WORK, model, c), model, "java", WORK, c, Cell.OK, null, 0, Map.of("command", "railyard "
                    + String.join(" ", ioArgs(model, c, n, latencyMs, url))), List.of(t));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Cell.failed(WORK, model, "java", c, "interrupted");
        } catch (IOException e) {
            return Cell.failed(WORK, model, "java", c, CompareRunner.oneLine(e));
        }
    }

    /** One command, sampled from its start to its exit; its requests answered from its JSON line. */
    static CellTrial trial(List<String> cmd) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("RAILYARD_BUILD", "never"); // compare's own jars: no build in the middle of a measurement
        Process p = pb.start();
        ResourceSampler sampler = ResourceSampler.ofTree(p.pid()).start();
        try {
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) throw new IOException("the fresh command took more than " + TIMEOUT_SECONDS + " s: " + String.join(" ", cmd));
            double wall = (System.nanoTime() - t0) / 1e9;
            ResourceSampler.Samples s = sampler.stop();
            String json = new String(out.join(), StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0 || json.isEmpty())
                throw new IOException("the fresh command exited " + p.exitValue() + ": " + String.join(" ", cmd));
            JsonNode r = ResultsJson.MAPPER.readTree(json);
            return CellTrial.ofProcess(wall, s, r.path("ok").asLong(), r.path("failed").asLong(), 0);
        } finally {
            sampler.close();
            p.destroyForcibly();
        }
    }
}
