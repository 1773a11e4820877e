package io.railyard.core.pool;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Starts queued runs while fewer than {@code slots} are in flight, with no dispatcher thread: the
 * thread that offers a run, or that releases a slot, launches the next one. Used by models that
 * create a carrier per task (a virtual thread) or start tasks on an event loop, and by the
 * autoscaler's gate, which moves the number of slots ({@link #setSlots}) and may hold runs back
 * with an {@link Admission} (a rate limit).
 *
 * <p>The launcher must call {@link #release()} exactly once per launched run, when the run no
 * longer occupies its slot (for asynchronous runs: when their stage completes, not when
 * {@code start} returns). Runs cancelled while queued are skipped without taking a slot.
 *
 * <p>Thread-safe. Why no run is stranded: {@link #offer} enqueues then reads {@code busy};
 * {@link #release} decrements {@code busy} then reads the queue; with both variables sequentially
 * consistent, at least one of two racing calls sees the other's write and launches. A run held back
 * by fewer slots or by the admission waits for the next {@link #drain()}, which the owner calls
 * after {@link #setSlots} and whenever the admission may have changed its mind.
 */
public final class SlotDispatcher {

    /**
     * A further condition on starting a run once a slot is free, asked on the launching thread.
     * Implementations are thread-safe.
     */
    public interface Admission {

        /** Takes a permit for one start; false holds queued runs back until the next drain. */
        boolean tryAcquire();

        /** Gives back the permit just taken: the run it was for had been cancelled. */
        void refund();
    }

    private static final Admission ALWAYS = new Admission() {
        @Override
        public boolean tryAcquire() {
            return true;
        }

        @Override
        public void refund() {}
    };

    private volatile int slots;
    private final Admission admission;
    private final Consumer<TaskRun<?>> launcher;
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicInteger queued = new AtomicInteger();
    private final ConcurrentLinkedQueue<TaskRun<?>> queue = new ConcurrentLinkedQueue<>();

    public SlotDispatcher(int slots, Consumer<TaskRun<?>> launcher) {
        this(slots, null, launcher);
    }

    /** @param admission asked before each start, after a slot is taken; {@code null}: every run is admitted */
    public SlotDispatcher(int slots, Admission admission, Consumer<TaskRun<?>> launcher) {
        this.slots = slots;
        this.admission = admission != null ? admission : ALWAYS;
        this.launcher = launcher;
    }

    public void offer(TaskRun<?> run) {
        queue.offer(run);
        queued.incrementAndGet();
        drain();
    }

    public void release() {
        busy.decrementAndGet();
        drain();
    }

    /**
     * Sets how many runs may be in flight. Runs in flight beyond it are not stopped; queued runs
     * start on the next {@link #drain()}, which the caller runs when it is ready for them.
     */
    public void setSlots(int slots) {
        this.slots = slots;
    }

    /** Slots in use right now. */
    public int busy() {
        return busy.get();
    }

    /** Runs offered and not yet taken off the queue (cancelled ones included until they are skipped). */
    public int queued() {
        return queued.get();
    }

    /** Drops every queued run, for a pool that has terminated (they are all done). */
    public void clear() {
        TaskRun<?> run;
        while ((run = queue.poll()) != null) queued.decrementAndGet();
    }

    /** Launches queued runs while slots are free and the admission agrees. Any thread. */
    public void drain() {
        while (!queue.isEmpty()) {
            int b = busy.get();
            if (b >= slots) return;
            if (!busy.compareAndSet(b, b + 1)) continue;
            if (!admission.tryAcquire()) {
                busy.decrementAndGet();
                return;
            }
            TaskRun<?> run = queue.poll();
            if (run != null) queued.decrementAndGet();
            if (run == null || !run.isPending()) {
                admission.refund();
                busy.decrementAndGet();
                continue;
            }
            try {
                launcher.accept(run);
            } catch (RuntimeException | Error e) {
                busy.decrementAndGet();
                run.start(-1);
                run.fail(e);
            }
        }
    }
}
