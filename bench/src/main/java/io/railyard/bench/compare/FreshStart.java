package io.railyard.bench.compare;

import io.railyard.bench.workload.TinyWorkload;
import io.railyard.core.Models;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.core.probe.ResourceSampler;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * compare's "fresh command" row: what a new process pays to start a model's pool and run one task
 * in it, measured the same way for Java and CPython. Each trial starts a process that opens the
 * pool, runs one task (Java: {@link TinyWorkload.Echo}; CPython: {@code abs(-1)}), closes the pool,
 * prints {@value #DONE} and waits for its standard input to close. Its tree is sampled from outside
 * with the {@link ResourceSampler} that samples every other cell, from just after the process
 * starts to that line: wall, CPU of the tree (JVM start-up, the JIT, worker processes and
 * interpreters included) and the tree's peak resident memory. The process's exit is in neither.
 *
 * <p>The Java process is this JVM's: the same {@code java}, flags (heap, start-up cache) and class
 * path, so it pays what a command started by the launcher pays, less the launcher's own few
 * milliseconds of bash. Not thread-safe: one compare thread.
 */
public final class FreshStart {
    private FreshStart() {}

    /** The work's name in cell ids ({@code fresh.threads.c1}). */
    public static final String WORK = "fresh";
    static final String DONE = "done";
    private static final long TIMEOUT_SECONDS = 120;

    /** The child: {@code FreshStart MODEL} opens MODEL's pool, runs one task, closes it, says {@value #DONE}. */
    public static void main(String[] args) throws Exception {
        try (TaskPool pool = Models.open(args[0], PoolSpec.of(1))) {
            long v = pool.submit(new TinyWorkload.Echo(1)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (v != 1) throw new IllegalStateException("the task returned " + v);
        }
        System.out.println(DONE);
        System.out.flush();
        System.in.readAllBytes(); // the parent stops sampling, then closes it
    }

    /** The CPython program for one of {@link PythonModels#MODELS}: the pool, one task, closed. */
    static String pythonProgram(String model) {
        String body = switch (model) {
            case "threading" -> "import concurrent.futures as cf\nwith cf.ThreadPoolExecutor(1) as ex:\n    assert ex.submit(abs, -1).result() == 1\n";
            case "asyncio" -> "import asyncio\nasync def one():\n    return abs(-1)\nassert asyncio.run(one()) == 1\n";
            case "multiprocessing" -> "import multiprocessing as mp\nwith mp.Pool(1) as p:\n    assert p.apply(abs, (-1,)) == 1\n";
            default -> throw new IllegalArgumentException("no CPython model '" + model + "'");
        };
        return body + "import sys\nprint('" + DONE + "', flush=True)\nsys.stdin.read()\n";
    }

    /** The command of a fresh Java process for {@code model}: this JVM's java, flags and class path. */
    static List<String> javaCommand(String model) {
        return thisJvm(FreshStart.class.getName(), List.of(model));
    }

    /** A fresh JVM like this one (its java, flags and class path) running {@code mainClass} with {@code args}. */
    static List<String> thisJvm(String mainClass, List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments())
            if (!a.startsWith("-agentlib") && !a.startsWith("-javaagent") && !a.startsWith("-XX:AOTCacheOutput")) cmd.add(a);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(args);
        return cmd;
    }

    /** {@code trials} fresh starts of a Java model, as a cell. */
    static Cell java(String model, int trials) {
        return cell(model, "java", javaCommand(model), trials);
    }

    /** {@code trials} fresh starts of a CPython model run by {@code python}, as a cell. */
    static Cell python(String python, String model, int trials) {
        return cell(model, "python", List.of(python, "-c", pythonProgram(model)), trials);
    }

    private static Cell cell(String model, String language, List<String> cmd, int trials) {
        List<CellTrial> ts = new ArrayList<>();
        try {
            for (int i = 0; i < trials; i++) ts.add(trial(cmd));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Cell.failed(WORK, model, language, 1, "interrupted");
        } catch (IOException e) {
            return Cell.failed(WORK, model, language, 1, e.getMessage());
        }
        return new Cell(Cell.id(WORK, model, 1), model, language, WORK, 1, Cell.OK, null, 0, Map.of(), ts);
    }

    /** One fresh process, measured from its start to its {@value #DONE}. */
    static CellTrial trial(List<String> cmd) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        ResourceSampler sampler = ResourceSampler.ofTree(p.pid()).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals(DONE)) {
                // a model's own output (none expected) is not the measurement's business
            }
            double wall = (System.nanoTime() - t0) / 1e9;
            ResourceSampler.Samples s = sampler.stop();
            if (line == null) {
                p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
                throw new IOException("the fresh process ended without starting its pool (exit code "
                        + (p.isAlive() ? "none" : p.exitValue()) + "): " + String.join(" ", cmd.subList(cmd.size() - 1, cmd.size())));
            }
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) p.destroyForcibly();
            return CellTrial.ofProcess(wall, s, 1, 0, wall);
        } finally {
            sampler.close();
            p.destroyForcibly();
        }
    }
}
