package io.railyard.core.processes;

import io.railyard.core.PoolSpec;
import io.railyard.core.processes.jobs.FaultJobs;

import java.time.Duration;

/**
 * A separate JVM for {@link WorkerCapTest}: opens a pool of {@code args[0]} workers whose
 * initializer never returns, so the pool stays in start-up, after printing "opening"; a test
 * then stops this JVM with a signal.
 */
public final class StartingPoolMain {
    public static void main(String[] args) {
        System.out.println("opening");
        System.out.flush();
        try (ProcessPool pool = new ProcessPool(PoolSpec.of(Integer.parseInt(args[0])),
                ProcessPoolOptions.DEFAULT.withAllow(java.util.List.of(FaultJobs.ALLOW)).withInitializer(new FaultJobs.HangInit()).withStartTimeout(Duration.ofMinutes(5)))) {
            System.out.println("opened " + pool.workerPids().size());
        } catch (RuntimeException e) {
            System.out.println("failed: " + e.getMessage());
        }
    }
}
