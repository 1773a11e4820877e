package io.railyard.core.pool;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Starts queued runs while fewer than {@code slots} are in flight, with no dispatcher thread: the
 * thread that offers a run, or that releases a slot, launches the next one. Used by models that
 * create a carrier per task (a virtual thread) or start tasks on an event loop.
 *
 * <p>The launcher must call {@link #release()} exactly once per launched run, when the run no
 * longer occupies its slot (for asynchronous runs: when their stage completes, not when
 * {@code start} returns). Runs cancelled while queued are skipped without taking a slot.
 *
 * <p>Thread-safe. Why no run is stranded: {@link #offer} enqueues then reads {@code busy};
 * {@link #release} decrements {@code busy} then reads the queue; with both variables sequentially
 * consistent, at least one of two racing calls sees the other's write and launches.
 */
public final class SlotDispatcher {
    private final int slots;
    private final Consumer<TaskRun<?>> launcher;
    private final AtomicInteger busy = new AtomicInteger();
    private final ConcurrentLinkedQueue<TaskRun<?>> queue = new ConcurrentLinkedQueue<>();

    public SlotDispatcher(int slots, Consumer<TaskRun<?>> launcher) {
        this.slots = slots;
        this.launcher = launcher;
    }

    public void offer(TaskRun<?> run) {
        queue.offer(run);
        drain();
    }

    public void release() {
        busy.decrementAndGet();
        drain();
    }

    /** Slots in use right now. */
    public int busy() {
        return busy.get();
    }

    private void drain() {
        while (!queue.isEmpty()) {
            int b = busy.get();
            if (b >= slots) return;
            if (!busy.compareAndSet(b, b + 1)) continue;
            TaskRun<?> run = queue.poll();
            if (run == null || !run.isPending()) {
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
