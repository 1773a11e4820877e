package io.railyard.core.processes;

import io.railyard.core.PoolSpec;
import io.railyard.core.processes.jobs.FaultJobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A separate JVM for {@code AotCacheTest} and {@code WorkerClassPathTest}: opens a pool of one worker, runs a task, and prints
 * the pool's AOT cache, whether it existed at open, and the worker's command line. An argument, when
 * given, is the pool's {@code workerClassPath} option.
 */
public final class AotProbeMain {
    public static void main(String[] args) throws Exception {
        ProcessPoolOptions options = ProcessPoolOptions.DEFAULT.withAllow(List.of(FaultJobs.ALLOW));
        if (args.length > 0) options = options.withWorkerClassPath(args[0]);
        try (ProcessPool pool = new ProcessPool(PoolSpec.of(1), options)) {
            boolean existed = pool.workerAotCache() != null && Files.exists(pool.workerAotCache());
            long pid = pool.submit(new FaultJobs.Pid()).get();
            String command = ProcessHandle.of(pid).flatMap(p -> p.info().arguments()).map(a -> String.join(" ", a)).orElse("?");
            System.out.println("cache=" + pool.workerAotCache());
            System.out.println("existed=" + existed);
            System.out.println("worker=" + command);
        }
    }

    /**
     * Runs this probe in a new JVM of this JDK on {@code classpath} with {@code home} as its user
     * home, its standard error to {@code err}; fails unless it exits 0 within {@code seconds}.
     * Returns its output's lines.
     */
    static List<String> runInNewJvm(String classpath, Path home, Path err, int seconds, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home, "-cp", classpath, AotProbeMain.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(seconds, TimeUnit.SECONDS), "probe JVM did not finish");
        assertEquals(0, p.exitValue(), () -> out + TestJars.readOrEmpty(err));
        return out.lines().toList();
    }
}
