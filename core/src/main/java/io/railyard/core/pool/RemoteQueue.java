package io.railyard.core.pool;

import io.railyard.core.codec.NotEncodableException;
import io.railyard.core.codec.PayloadCodec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * What a model that runs its tasks in other JVMs ({@code processes}: worker processes;
 * {@code cluster}: members) does on this side of the wire, besides talking to the wire itself:
 *
 * <pre>
 *   submit --&gt; encode (refused here, naming the class) --&gt; Queued(run, payload)
 *                 --&gt; [ queue ] --nextPending (cancelled runs skipped)--&gt; sent by the model
 *   answer bytes --&gt; result(...) or failure(...) --&gt; Answer --deliver--&gt; the run's future
 * </pre>
 *
 * A task is encoded on the submitting thread, so one that cannot cross is refused by
 * {@code submit} itself ({@link RejectedExecutionException} whose cause is the
 * {@link NotEncodableException}), never later on a worker. An answer is decoded into an
 * {@link Answer} first and delivered after: the model hands its worker the next task in between,
 * so a worker never waits for the caller's completion callbacks.
 *
 * <p>Thread-safety: {@link #encode}, {@link #result}, {@link #failure} and {@link #throwable} are thread-safe (the
 * codec is). The queue ({@link #add}, {@link #nextPending}, {@link #hasPending}, {@link #takeAll})
 * is not: it is part of the owning pool's guarded state, and the pool calls it holding its guard.
 */
public final class RemoteQueue {

    /** A task encoded for the wire, waiting for (or on its way to) a worker. Immutable. */
    public record Queued(TaskRun<?> run, byte[] payload) {

        /** Fails a run that will never be sent (no worker is left); a run cancelled meanwhile stays cancelled. */
        public void failUnsent(Throwable error) {
            if (run.start(-1)) run.fail(error);
        }
    }

    /**
     * A decoded answer: the task's value, or why it failed. Delivered to its run once, by the
     * thread that read it. Immutable.
     */
    public record Answer(Object value, Throwable error) {

        /** Completes {@code run} with the value, or fails it with the error. */
        @SuppressWarnings("unchecked")
        public void deliver(TaskRun<?> run) {
            if (error == null) ((TaskRun<Object>) run).complete(value);
            else run.fail(error);
        }
    }

    private final PayloadCodec codec;
    private final String destination;
    private final ArrayDeque<Queued> queue = new ArrayDeque<>(); // guarded by the owner

    /**
     * @param destination where tasks go, for refusals: "a worker process", "a cluster member"
     */
    public RemoteQueue(PayloadCodec codec, String destination) {
        this.codec = codec;
        this.destination = destination;
    }

    // ------------------------------------------------------------------ this side to the wire

    /**
     * Encodes {@code run}'s task.
     *
     * @throws RejectedExecutionException naming the task's class and why it cannot be sent
     */
    public Queued encode(TaskRun<?> run) {
        Object task = run.task();
        try {
            return new Queued(run, codec.encode(task));
        } catch (NotEncodableException e) {
            throw new RejectedExecutionException("task " + task.getClass().getName() + " cannot be sent to " + destination + ": "
                    + e.getMessage(), e);
        }
    }

    /** Queues {@code q} behind the others. The caller holds the owner's guard. */
    public void add(Queued q) {
        queue.addLast(q);
    }

    /** The oldest queued run still pending, or null; runs cancelled while queued are dropped. The caller holds the owner's guard. */
    public Queued nextPending() {
        Queued q;
        while ((q = queue.pollFirst()) != null) if (q.run.isPending()) return q;
        return null;
    }

    /** Whether a queued run is still pending; runs cancelled while queued are dropped. The caller holds the owner's guard. */
    public boolean hasPending() {
        queue.removeIf(q -> !q.run.isPending());
        return !queue.isEmpty();
    }

    /** Empties the queue and returns what it held, oldest first. The caller holds the owner's guard. */
    public List<Queued> takeAll() {
        List<Queued> all = new ArrayList<>(queue);
        queue.clear();
        return all;
    }

    // ------------------------------------------------------------------ the wire to this side

    /** A task's encoded result, decoded; a result that cannot be decoded fails its task only. */
    public Answer result(long taskId, byte[] payload) {
        try {
            return new Answer(codec.decode(payload), null);
        } catch (NotEncodableException e) {
            return new Answer(null, new NotEncodableException("the result of task " + taskId + " cannot be decoded: " + e.getMessage(), e));
        }
    }

    /**
     * A task's exception: the original when {@code exception} holds one this side may decode (its
     * class is on the allow-list and the classpath), else what {@code remoteCopy} gives (a
     * {@link io.railyard.core.RemoteException} with the remote class name and stack).
     */
    public Answer failure(byte[] exception, Supplier<? extends Throwable> remoteCopy) {
        Throwable original = throwable(codec, exception);
        return new Answer(null, original != null ? original : remoteCopy.get());
    }

    /** The exception encoded in {@code bytes}, or null when there is none this side may decode. */
    public Throwable throwable(byte[] bytes) {
        return throwable(codec, bytes);
    }

    /** The exception {@code codec} encoded in {@code bytes}, or null when there is none this side may decode. */
    public static Throwable throwable(PayloadCodec codec, byte[] bytes) {
        if (bytes.length == 0) return null;
        try {
            return codec.decode(bytes) instanceof Throwable t ? t : null;
        } catch (NotEncodableException e) {
            return null; // not on the allow-list (or not on this classpath): the remote copy says what it was
        }
    }
}
