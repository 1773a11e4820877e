package io.railyard.cluster;

import io.railyard.core.AsyncTask;
import io.railyard.core.BlockingTask;
import io.railyard.core.RemoteException;
import io.railyard.core.TaskContext;
import io.railyard.core.pool.InlineTaskContext;
import io.railyard.core.codec.NotEncodableException;
import io.railyard.core.codec.PayloadCodec;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * What a member does with a {@link RemoteTask}: decode it with the member's own codec and
 * allow-list (the member decides what it instantiates, never the client), run it on the calling
 * executor thread, and answer with a {@link Reply}. The counterpart of the processes model's
 * {@code WorkerMain}, and it follows the same rules: a task whose class is not allowed is refused
 * with a {@link NotEncodableException}; an exception that cannot be encoded travels as a
 * {@link RemoteException} copy; a result that cannot be encoded fails its task only.
 *
 * <p>Under a cluster secret, a task or cancel is first checked against its authentication code
 * ({@link MessageAuth}); one that fails is dropped before anything in it is decoded, counted, and
 * (a task) answered with a {@link SecurityException}; every answer is signed.
 *
 * <h2>Cancelling</h2>
 * A pool stops a task with a {@link CancelTask} on the member's control executor. The task's
 * thread is interrupted through its {@link Running} entry, which refuses once the task has
 * finished, so an interrupt never reaches the next task of that executor thread. A cancel can
 * overtake its task on the way (they travel separately): it then leaves a tombstone, and the task
 * is skipped when it arrives. Tombstones of tasks that never come (they had finished) are dropped
 * after {@link #TOMBSTONE_NANOS}.
 *
 * <p>One per member, stored in the member's user context under {@link #KEY}. Thread-safe: the codec
 * is, the two maps are concurrent, and a {@link Running} entry is guarded by itself.
 */
final class MemberRuntime {
    static final String KEY = "io.railyard.cluster.MemberRuntime";
    /** Causes deeper than this are cut from a remote copy: enough to debug, bounded in size. */
    private static final int MAX_CAUSES = 16;
    /** How long a cancel waits for a task that has not arrived; then it is taken to have finished. */
    static final long TOMBSTONE_NANOS = TimeUnit.MINUTES.toNanos(10);
    private static final int TOMBSTONES_BEFORE_PURGE = 1_000, MAX_TOMBSTONES = 100_000;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private record TaskKey(UUID pool, long taskId) {}

    /** The thread running one task; it may be interrupted only until the task is over. */
    private static final class Running {
        private final Thread thread;
        private boolean over; // guarded by this

        Running(Thread thread) {
            this.thread = thread;
        }

        synchronized void interrupt() {
            if (!over) thread.interrupt();
        }

        /** On the task's own thread, once the task is over: no interrupt may follow, none may remain. */
        synchronized void over() {
            over = true;
            Thread.interrupted();
        }
    }

    private final PayloadCodec codec;
    private final MessageAuth auth;
    private final ConcurrentHashMap<TaskKey, Running> running = new ConcurrentHashMap<>();
    /** Cancels that came before their task, with when they came (nanoTime). */
    private final ConcurrentHashMap<TaskKey, Long> tombstones = new ConcurrentHashMap<>();

    MemberRuntime(PayloadCodec codec) {
        this(codec, MessageAuth.NONE);
    }

    MemberRuntime(PayloadCodec codec, MessageAuth auth) {
        this.codec = codec;
        this.auth = auth;
    }

    /**
     * Checks, decodes, runs and answers {@code t}. A task whose authentication code does not verify
     * under this member's secret is dropped before anything in it is decoded: counted
     * ({@link #refused()}) and answered with a failure that says so.
     */
    Reply run(RemoteTask t) {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        if (!auth.taskValid(t))
            return auth.sign(t.pool(), t.taskId(), failed(cpu0, -1, new SecurityException("a member refused task " + t.taskId()
                    + ": it does not carry a valid authentication code under the cluster's secret, so it was dropped unread"
                    + " (give the pool the members' secret: --model-option secretFile=F or " + ClusterSecret.ENV + ")")));
        return auth.sign(t.pool(), t.taskId(), checkedRun(t, cpu0));
    }

    /** Messages that failed authentication so far (tasks and cancels): dropped unread. */
    long refused() {
        return auth.refused();
    }

    /**
     * Interrupts every task running on this member: a member that is told to stop (SIGTERM) cancels
     * its work first. A task that ignores interrupts keeps its thread; the member exits without it.
     */
    void cancelAll() {
        for (Running r : running.values()) r.interrupt();
    }

    /** Waits until no task runs here, at most {@code nanos}; true if none does. */
    boolean awaitIdle(long nanos) {
        long deadline = System.nanoTime() + nanos;
        while (!running.isEmpty()) {
            if (System.nanoTime() >= deadline) return false;
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return running.isEmpty();
            }
        }
        return true;
    }

    private Reply checkedRun(RemoteTask t, long cpu0) {
        TaskKey key = new TaskKey(t.pool(), t.taskId());
        Running self = new Running(Thread.currentThread());
        running.put(key, self);
        try {
            if (tombstones.remove(key) != null)
                return failed(cpu0, -1, new CancellationException("task " + t.taskId() + " was cancelled before it started on this member"));
            return decodeAndRun(t, cpu0);
        } finally {
            running.remove(key, self);
            self.over();
        }
    }

    /**
     * Stops task {@code taskId} of {@code pool}: interrupts it if it runs here, else leaves a
     * tombstone for when it arrives. True if it was running.
     */
    boolean cancel(CancelTask c) {
        if (!auth.cancelValid(c)) return false; // counted; nobody without the secret cancels a pool's tasks
        return cancel(c.pool(), c.taskId());
    }

    boolean cancel(UUID pool, long taskId) {
        TaskKey key = new TaskKey(pool, taskId);
        Running r = running.get(key);
        if (r == null) {
            tombstone(key);
            r = running.get(key); // it may have started meanwhile, missing the tombstone
            if (r == null) return false;
            tombstones.remove(key);
        }
        r.interrupt();
        return true;
    }

    private void tombstone(TaskKey key) {
        long now = System.nanoTime();
        if (tombstones.size() >= TOMBSTONES_BEFORE_PURGE) {
            tombstones.values().removeIf(at -> now - at > TOMBSTONE_NANOS);
            if (tombstones.size() >= MAX_TOMBSTONES) tombstones.clear(); // a flood: forget rather than grow
        }
        tombstones.put(key, now);
    }

    private Reply decodeAndRun(RemoteTask t, long cpu0) {
        Object task;
        try {
            task = codec.decode(t.payload());
        } catch (NotEncodableException e) {
            return failed(cpu0, -1, new NotEncodableException("a member cannot decode task " + t.taskId() + ": " + e.getMessage()
                    + " (members take the same allow-list: 'railyard member --allow PATTERN')", e));
        }
        Object value;
        long started = System.nanoTime(); // the task's code begins here: submit-to-start ends (see Reply#startNanos)
        try {
            value = new InlineTaskContext("cluster", t.taskId(), t.worker()).run(task);
        } catch (Throwable e) {
            return failed(cpu0, started, e);
        }
        long ran = System.nanoTime() - started;
        long used = THREADS.getCurrentThreadCpuTime() - cpu0;
        try {
            return new Reply.Done(started, ran, used, codec.encode(value));
        } catch (NotEncodableException e) {
            return failed(cpu0, started, new NotEncodableException("the result of task " + t.taskId() + " ("
                    + (value == null ? "null" : value.getClass().getName()) + ") cannot be sent back: " + e.getMessage()));
        }
    }


    private Reply failed(long cpu0, long started, Throwable t) {
        long ran = started < 0 ? 0 : System.nanoTime() - started;
        long used = THREADS.getCurrentThreadCpuTime() - cpu0;
        byte[] original;
        try {
            original = codec.encode(t);
        } catch (NotEncodableException e) {
            original = new byte[0]; // the copy below still says what happened
        }
        return new Reply.Failed(started, ran, used, original, codec.encode(copyOf(t)));
    }

    /** The exception as a chain of {@link RemoteException}s: class names, messages and stacks only. */
    static RemoteException copyOf(Throwable t) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        java.util.ArrayList<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable c = t; c != null && seen.add(c) && chain.size() < MAX_CAUSES; c = c.getCause()) chain.add(c);
        RemoteException built = null;
        for (int i = chain.size() - 1; i >= 0; i--) {
            Throwable c = chain.get(i);
            String className = c instanceof RemoteException r ? r.remoteClassName() : c.getClass().getName();
            String message = c instanceof RemoteException r ? stripClassName(r) : c.getMessage();
            built = new RemoteException(className, message, c.getStackTrace(), built);
        }
        return built;
    }

    /** A RemoteException's message is "class: message"; its copy must not say the class twice. */
    private static String stripClassName(RemoteException r) {
        String m = r.getMessage(), prefix = r.remoteClassName() + ": ";
        return m == null ? null : m.startsWith(prefix) ? m.substring(prefix.length()) : m.equals(r.remoteClassName()) ? null : m;
    }
}
