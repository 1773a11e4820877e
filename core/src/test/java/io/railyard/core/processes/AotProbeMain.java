package io.railyard.core.processes;

import io.railyard.core.PoolSpec;
import io.railyard.core.processes.jobs.FaultJobs;

import java.nio.file.Files;
import java.util.List;

/**
 * A separate JVM for {@code AotCacheTest}: opens a pool of one worker, runs a task, and prints
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
}
