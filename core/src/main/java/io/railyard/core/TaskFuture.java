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

    /**
     * The pool's side of the task, which the future reads its id and start from and tells of a
     * cancel: the pool's own record of the run (one object per task serves both, so a queued task
     * costs no copy of these in its future).
     */
    public interface Owner {

        /** The id the pool gave the task. */
        long taskId();

        /** See {@link TaskFuture#startNanos()}. */
        long codeStartNanos();

        /** See {@link TaskFuture#startEstimated()}. */
        boolean codeStartEstimated();

        /** The future was cancelled ({@link TaskFuture#cancel}); the pool stops the task. */
        void cancelled(boolean mayInterruptIfRunning);
    }

    private final Owner owner;

    /** A future for the task {@code owner} runs; the owning pool creates it, once per task. */
    public TaskFuture(Owner owner) {
        this.owner = owner;
    }

    /** The id the pool gave the task, unique within the pool, increasing in submission order. */
    public long taskId() {
        return owner.taskId();
    }

    /**
     * When the task's code began where it ran, as a {@link System#nanoTime()} reading of this
     * machine's clock, once the future is complete: in a worker process or on a cluster member, that
     * process's own stamp. -1 when unknown: the task never started, or its pool runs on a clock of
     * its own (a test's).
     */
    public long startNanos() {
        return owner.codeStartNanos();
    }

    /** Whether {@link #startNanos()} was worked out from a round trip (a member on another machine) rather than read. */
    public boolean startEstimated() {
        return owner.codeStartEstimated();
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) owner.cancelled(mayInterruptIfRunning);
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
        return "TaskFuture#" + taskId() + super.toString().substring(super.toString().indexOf('['));
    }
}
