package io.railyard.core.contract;

import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * The {@code Runnable}s and {@code Callable}s the {@link ExecutorServiceContract} hands to an
 * executor: serializable records that talk to the test through files only, so that they run in
 * this JVM, in a worker process and on a cluster member alike.
 */
public final class ExecutorJobs {
    private ExecutorJobs() {}

    /** Returns {@code value}. */
    public record Answer<T extends Serializable>(T value) implements Callable<T>, Serializable {
        @Override
        public T call() {
            return value;
        }
    }

    /** Throws {@code IllegalStateException(message)}. */
    public record Throw(String message) implements Callable<String>, Serializable {
        @Override
        public String call() {
            throw new IllegalStateException(message);
        }
    }

    /** Creates file {@code name}: proves it ran. */
    public record Touch(String dir, String name) implements Runnable, Serializable {
        @Override
        public void run() {
            ContractJobs.touch(Path.of(dir, name));
        }
    }

    /**
     * Creates {@code started-NAME}, waits until the file {@code release} exists, returns NAME;
     * interrupted, it creates {@code interrupted-NAME} and ends.
     */
    public record Wait(String dir, String name) implements Callable<String>, Runnable, Serializable {
        @Override
        public String call() throws InterruptedException {
            ContractJobs.touch(Path.of(dir, "started-" + name));
            try {
                while (!Files.exists(Path.of(dir, "release"))) Thread.sleep(2);
            } catch (InterruptedException e) {
                ContractJobs.touch(Path.of(dir, "interrupted-" + name));
                throw e;
            }
            return name;
        }

        @Override
        public void run() {
            try {
                call();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
