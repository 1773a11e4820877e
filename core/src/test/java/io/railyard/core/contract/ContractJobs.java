package io.railyard.core.contract;

import io.railyard.core.AsyncTask;
import io.railyard.core.BlockingTask;
import io.railyard.core.TaskContext;
import io.railyard.core.TaskFunction;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;

/**
 * The jobs the contract suite runs. Every one is a serializable record that talks to the test only
 * through files, so the same job works in this JVM, in a worker process and on a cluster member;
 * every one has a blocking form ({@link BlockingTask}) and an asynchronous form
 * ({@link #async(Job)}) that waits with timers instead of blocking, for the loop model.
 */
public final class ContractJobs {
    private ContractJobs() {}

    /** A job with a blocking body and a non-blocking one. */
    public interface Job<T> extends BlockingTask<T> {
        /** The same job without blocking: polls with timers on the context's executor. */
        default CompletionStage<T> startAsync(TaskContext ctx) throws Exception {
            return CompletableFuture.completedFuture(call());
        }
    }

    /** Wraps a job as an {@link AsyncTask}. */
    public static <T> AsyncTask<T> async(Job<T> job) {
        return new AsyncForm<>(job);
    }

    record AsyncForm<T>(Job<T> job) implements AsyncTask<T> {
        @Override
        public CompletionStage<T> start(TaskContext context) throws Exception {
            return job.startAsync(context);
        }
    }

    /** Returns {@code value}. */
    public record Value<T extends Serializable>(T value) implements Job<T> {
        @Override
        public T call() {
            return value;
        }
    }

    /** Returns {@link System#nanoTime()} where it runs: every JVM of this machine reads the one monotonic clock. */
    public record Now() implements Job<Long> {
        @Override
        public Long call() {
            return System.nanoTime();
        }
    }

    /** Throws {@code IllegalStateException(message)}. */
    public record Fail(String message) implements Job<String> {
        @Override
        public String call() {
            throw new IllegalStateException(message);
        }
    }

    /** Creates file {@code marker} and returns its name: proves the job ran. */
    public record Mark(String dir, String marker) implements Job<String> {
        @Override
        public String call() {
            touch(Path.of(dir, marker));
            return marker;
        }
    }

    /**
     * Announces itself by creating {@code started-NAME}, then waits until the file {@code release}
     * exists, then returns NAME. Interrupted (blocking form), it creates {@code interrupted-NAME}
     * and rethrows.
     */
    public record Gated(String dir, String name) implements Job<String> {
        @Override
        public String call() throws InterruptedException {
            touch(Path.of(dir, "started-" + name));
            try {
                while (!Files.exists(Path.of(dir, "release"))) Thread.sleep(2);
            } catch (InterruptedException e) {
                touch(Path.of(dir, "interrupted-" + name));
                throw e;
            }
            return name;
        }

        @Override
        public CompletionStage<String> startAsync(TaskContext ctx) {
            touch(Path.of(dir, "started-" + name));
            CompletableFuture<String> result = new CompletableFuture<>();
            poll(ctx, result);
            return result;
        }

        private void poll(TaskContext ctx, CompletableFuture<String> result) {
            if (result.isDone()) return;
            if (Files.exists(Path.of(dir, "release"))) result.complete(name);
            else CompletableFuture.delayedExecutor(2, TimeUnit.MILLISECONDS, ctx.executor()).execute(() -> poll(ctx, result));
        }
    }

    /** Squares its input after a pause of {@code (input * 7) % 5} ms, so that tasks finish out of order. */
    public record SquareWithJitter() implements TaskFunction<Integer, Integer> {
        @Override
        public Integer apply(Integer x) throws InterruptedException {
            Thread.sleep((x * 7L) % 5);
            return x * x;
        }
    }

    /** Squares its input; throws for {@code failAt}. */
    public record SquareOrFail(int failAt) implements TaskFunction<Integer, Integer> {
        @Override
        public Integer apply(Integer x) {
            if (x == failAt) throw new IllegalArgumentException("input " + x + " is bad");
            return x * x;
        }
    }

    static void touch(Path p) {
        try {
            Files.createFile(p);
        } catch (java.nio.file.FileAlreadyExistsException ignored) {
            // idempotent
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
