package io.railyard.core.time;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A clock that moves only when told to: {@link #advance(Duration)} runs every action that falls due,
 * in due order, on the calling thread. For tests of timeouts and autoscaling without sleeps.
 *
 * <p>Thread-safe: any thread may schedule; actions run on the thread that advances.
 */
public final class ManualTimeSource implements TimeSource {

    private record Entry(long due, long seq, Runnable action, boolean[] cancelled) {}

    private final PriorityQueue<Entry> queue = new PriorityQueue<>((a, b) ->
            a.due != b.due ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private long now;
    private long seq;

    @Override
    public synchronized long nanoTime() {
        return now;
    }

    @Override
    public synchronized Cancellable schedule(Duration delay, Runnable action) {
        boolean[] cancelled = {false};
        queue.add(new Entry(now + Math.max(0, delay.toNanos()), seq++, action, cancelled));
        return () -> {
            synchronized (ManualTimeSource.this) {
                cancelled[0] = true;
            }
        };
    }

    /** How many actions are scheduled and neither run nor cancelled. */
    public synchronized int pending() {
        return (int) queue.stream().filter(e -> !e.cancelled[0]).count();
    }

    /** Moves the clock forward and runs what fell due, outside the lock, in due order. */
    public void advance(Duration by) {
        long target;
        synchronized (this) {
            target = now + by.toNanos();
        }
        while (true) {
            Entry next;
            synchronized (this) {
                next = queue.peek();
                if (next == null || next.due > target) {
                    now = target;
                    return;
                }
                queue.poll();
                now = next.due;
                if (next.cancelled[0]) continue;
            }
            next.action.run();
        }
    }

    /** Actions due now or earlier that have not run; for diagnostics. */
    public synchronized List<Runnable> due() {
        List<Runnable> out = new ArrayList<>();
        for (Entry e : queue) if (e.due <= now && !e.cancelled[0]) out.add(e.action);
        return out;
    }
}
