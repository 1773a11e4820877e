package io.railyard.core.processes;

import io.railyard.core.PoolSpec;
import io.railyard.core.processes.jobs.FaultJobs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A separate parent JVM for {@code ProcessPoolFaultTest}: opens a pool of two workers, writes their
 * pids to the file {@code args[0]}, starts a task that holds a worker, then waits to be killed.
 */
public final class PoolParentMain {
    public static void main(String[] args) throws Exception {
        ProcessPool pool = new ProcessPool(PoolSpec.of(2), ProcessPoolOptions.DEFAULT.withAllow(List.of(FaultJobs.ALLOW)));
        pool.submit(new FaultJobs.Hold(args[1], "held"));
        Path tmp = Path.of(args[0] + ".tmp");
        Files.writeString(tmp, pool.workerPids().stream().map(String::valueOf).collect(Collectors.joining("\n")) + "\n");
        Files.move(tmp, Path.of(args[0]));
        Thread.sleep(120_000); // bounded: the test kills this JVM long before
        pool.shutdownNow();
    }
}
