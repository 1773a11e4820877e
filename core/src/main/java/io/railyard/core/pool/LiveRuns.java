package io.railyard.core.pool;

import java.util.ArrayList;
import java.util.List;

/**
 * The runs a pool has accepted and not yet finished, for {@link AbstractTaskPool#shutdownNow()}.
 * Each run is linked into one of a few lists by two fields of its own ({@link TaskRun#livePrev},
 * {@link TaskRun#liveNext}), so being here costs a queued run two references: a hash set's node
 * costs 32 bytes, and the set's table is copied whole each time a burst of submits doubles it.
 * A run's list is picked by its id, so the submitting thread and the threads finishing tasks seldom
 * want the same lock.
 *
 * <p>Thread-safe: each list is guarded by its own lock, and a run's links are read and written only
 * under the lock of its list.
 */
final class LiveRuns {

    /** One list: its first run, guarded by the stripe itself. */
    private static final class Stripe {
        private TaskRun<?> head;
    }

    private final Stripe[] stripes;

    /** Four lists per core, at most 256. */
    LiveRuns() {
        this(Math.min(256, Math.max(4, 4 * Runtime.getRuntime().availableProcessors())));
    }

    /** {@code lists} lists, rounded down to a power of two (a test uses one, to make threads meet). */
    LiveRuns(int lists) {
        int n = Integer.highestOneBit(Math.max(1, lists));
        stripes = new Stripe[n];
        for (int i = 0; i < n; i++) stripes[i] = new Stripe();
    }

    private Stripe stripeOf(TaskRun<?> run) {
        return stripes[(int) run.taskId() & (stripes.length - 1)];
    }

    /** Adds a run that is in no list yet. */
    void add(TaskRun<?> run) {
        Stripe s = stripeOf(run);
        synchronized (s) {
            TaskRun<?> head = s.head;
            run.liveNext = head;
            if (head != null) head.livePrev = run;
            s.head = run;
        }
    }

    /** Removes the run; does nothing when it is not here (already removed). */
    void remove(TaskRun<?> run) {
        Stripe s = stripeOf(run);
        synchronized (s) {
            TaskRun<?> prev = run.livePrev, next = run.liveNext;
            if (prev != null) prev.liveNext = next;
            else if (s.head == run) s.head = next;
            else return;
            if (next != null) next.livePrev = prev;
            run.livePrev = null;
            run.liveNext = null;
        }
    }

    /** The runs here now, in no particular order. */
    List<TaskRun<?>> snapshot() {
        List<TaskRun<?>> out = new ArrayList<>();
        for (Stripe s : stripes) {
            synchronized (s) {
                for (TaskRun<?> r = s.head; r != null; r = r.liveNext) out.add(r);
            }
        }
        return out;
    }
}
