package io.railyard.cluster.jobs;

import io.railyard.core.BlockingTask;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Jobs of the cluster tests. They report through files in a shared directory, so the test sees what
 * ran on which member process. Members and pools admit them with {@link #ALLOW}.
 */
public final class ClusterJobs {
    private ClusterJobs() {}

    public static final String ALLOW = "io.railyard.cluster.jobs.*";

    /**
     * CPU work: fib(k) {@code reps} times. Creates {@code started-I-PID} before and {@code done-I-PID}
     * after, and returns {@code "I:PID"}: which member ran it. Idempotent (files are only created).
     */
    public record Work(String dir, int i, int k, int reps) implements BlockingTask<String> {
        @Override
        public String call() {
            long pid = ProcessHandle.current().pid();
            touch(Path.of(dir, "started-" + i + "-" + pid));
            long sink = 0;
            for (int r = 0; r < reps; r++) sink += fib(k);
            if (sink == 42) System.out.print(""); // keep the work
            touch(Path.of(dir, "done-" + i + "-" + pid));
            return i + ":" + pid;
        }
    }

    /** Announces itself ({@code held-NAME}) and waits, interruptibly, for {@code release} (bounded: 2 minutes). */
    public record Hold(String dir, String name) implements BlockingTask<String> {
        @Override
        public String call() throws InterruptedException {
            touch(Path.of(dir, "held-" + name + "-" + ProcessHandle.current().pid()));
            long deadline = System.nanoTime() + 120_000_000_000L;
            while (!Files.exists(Path.of(dir, "release")) && System.nanoTime() < deadline) Thread.sleep(5);
            return name;
        }
    }

    /**
     * Announces itself ({@code spinning-NAME-PID}) and burns CPU for up to 2 minutes, ignoring
     * interrupts: a task no cancel can stop, as a decoding bomb would be.
     */
    public record Spin(String dir, String name) implements BlockingTask<String> {
        @Override
        public String call() {
            touch(Path.of(dir, "spinning-" + name + "-" + ProcessHandle.current().pid()));
            long deadline = System.nanoTime() + 120_000_000_000L;
            long sink = 0;
            while (System.nanoTime() < deadline) {
                Thread.interrupted(); // ignored on purpose
                sink += fib(15);
            }
            return name + sink;
        }
    }

    /** Announces itself ({@code napping-NAME-PID}) and sleeps 2 minutes; when interrupted, says so ({@code interrupted-NAME}). */
    public record Nap(String dir, String name) implements BlockingTask<String> {
        @Override
        public String call() throws InterruptedException {
            touch(Path.of(dir, "napping-" + name + "-" + ProcessHandle.current().pid()));
            try {
                Thread.sleep(120_000);
            } catch (InterruptedException e) {
                touch(Path.of(dir, "interrupted-" + name));
                throw e;
            }
            return name;
        }
    }

    /** An exception class no allow-list admits but this package's. */
    public static final class SecretException extends RuntimeException {
        public SecretException(String message) {
            super(message);
        }
    }

    /** Throws a {@link SecretException}, wrapped in an {@link IllegalStateException}. */
    public record ThrowSecret(String message) implements BlockingTask<String> {
        @Override
        public String call() {
            throw new IllegalStateException("outer", new SecretException(message));
        }
    }

    /** A value that cannot be encoded: not Serializable. */
    public static final class Opaque {
    }

    /** Returns an {@link Opaque}, which cannot be sent back. */
    public record ReturnOpaque() implements BlockingTask<Object> {
        @Override
        public Object call() {
            return new Opaque();
        }
    }

    /** Returns its value: a serializable record of this package. */
    public record Echo<T extends Serializable>(T value) implements BlockingTask<T> {
        @Override
        public T call() {
            return value;
        }
    }

    public static long fib(int k) {
        return k < 2 ? k : fib(k - 1) + fib(k - 2);
    }

    public static void touch(Path p) {
        try {
            Files.createFile(p);
        } catch (FileAlreadyExistsException ignored) {
            // idempotent
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
