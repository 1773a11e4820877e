package io.railyard.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * The handle {@link TaskPool#submit} returns: a {@link CompletableFuture} whose {@link #cancel}
 * really stops the task. Cancelling a queued task removes it before it starts; cancelling a running
 * one interrupts its thread ({@code threads}, {@code virtual}), kills its worker process
 * ({@code processes}), abandons its stage ({@code loop}), or interrupts it on its member ({@code cluster}).
 *
 * <p>Thread-safe, like any {@code CompletableFuture}. Derived stages ({@code thenApply}...) are plain
 * {@code CompletableFuture}s: cancelling them does not cancel the task.
 */
public final class TaskFuture<T> extends CompletableFuture<T> {

    /** Called when the future is cancelled; implemented by the pool that owns the task. */
    public interface Canceller {
        void cancelled(boolean mayInterruptIfRunning);
    }

    private final long taskId;
    private volatile Canceller canceller;
    private volatile long startNanos = -1;
    private volatile boolean startEstimated;

    public TaskFuture(long taskId) {
        this.taskId = taskId;
    }

    /** The id the pool gave the task, unique within the pool, increasing in submission order. */
    public long taskId() {
        return taskId;
    }

    /** Sets who is told of a cancel; the owning pool calls this once, before handing the future out. */
    public void onCancel(Canceller canceller) {
        this.canceller = canceller;
    }

    /**
     * When the task's code began where it ran, as a {@link System#nanoTime()} reading of this
     * machine's clock, once the future is complete: in a worker process or on a cluster member, that
     * process's own stamp. -1 when unknown: the task never started, or its pool runs on a clock of
     * its own (a test's).
     */
    public long startNanos() {
        return startNanos;
    }

    /** Whether {@link #startNanos()} was worked out from a round trip (a member on another machine) rather than read. */
    public boolean startEstimated() {
        return startEstimated;
    }

    /** Sets {@link #startNanos()}; the owning pool calls this before it completes the future. */
    public void startedAt(long nanos, boolean estimated) {
        this.startEstimated = estimated;
        this.startNanos = nanos;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        Canceller c = canceller;
        if (cancelled && c != null) c.cancelled(mayInterruptIfRunning);
        return cancelled;
    }

    /**
     * The exception a task failed with, without the wrappers futures add around it: a
     * {@link CompletionException} (dependent stages, {@code join}) or an {@link ExecutionException}
     * ({@code get}). Only those two classes are unwrapped, not their subclasses, which carry a
     * meaning of their own. Returns {@code error} itself when it is no such wrapper (null for null).
     */
    public static Throwable unwrap(Throwable error) {
        Throwable e = error;
        if (e == null) return null;
        for (int depth = 0; depth < 64 && e.getCause() != null
                && (e.getClass() == CompletionException.class || e.getClass() == ExecutionException.class); depth++) e = e.getCause();
        return e;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new CompletableFuture<>();
    }

    @Override
    public String toString() {
        return "TaskFuture#" + taskId + super.toString().substring(super.toString().indexOf('['));
    }
}
