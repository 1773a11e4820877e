package io.railyard.core.processes;

import io.railyard.core.PoolSpec;

/**
 * A separate JVM for {@code ProcessPoolFaultTest}, run with an environment of the test's choosing:
 * opens a pool of one worker and prints "opened" or why it could not open, on one line.
 */
public final class OpenPoolMain {
    public static void main(String[] args) {
        try (ProcessPool pool = new ProcessPool(PoolSpec.of(1), ProcessPoolOptions.DEFAULT)) {
            System.out.println("opened " + pool.workerPids().size());
        } catch (RuntimeException e) {
            System.out.println("failed: " + e.getMessage());
        }
    }
}
