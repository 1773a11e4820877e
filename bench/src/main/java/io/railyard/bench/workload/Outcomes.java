package io.railyard.bench.workload;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts how a run's tasks end, as they end (failures by reason, {@link FailureReasons}), and lets the harness thread wait for the last one
 * with a single wait. Waiting on each future in turn instead costs a park and an unpark per task
 * (a futex call on each side), which at 10,000 tasks a second is CPU the measurement would
 * wrongly charge to the model.
 *
 * <p>Thread-safe: {@link #track} on the submitting thread, the completions on any thread.
 */
final class Outcomes implements BiConsumer<Object, Throwable> {

    private final Workload.Progress progress;
    private final AtomicLong done = new AtomicLong(), failed = new AtomicLong();
    private final ConcurrentHashMap<String, LongAdder> reasons = new ConcurrentHashMap<>();
    private final CountDownLatch all;

    Outcomes(long tasks, Workload.Progress progress) {
        this.progress = progress;
        this.all = new CountDownLatch((int) Math.min(Integer.MAX_VALUE, tasks));
    }

    /** Counts {@code f}'s outcome when it completes. Call once per task. */
    void track(CompletableFuture<?> f) {
        f.whenComplete(this); // this itself, not a lambda: a lambda capturing this is one more object per queued task
    }

    /** A task ended: with its value, or {@code e} non-null when it failed. */
    @Override
    public void accept(Object value, Throwable e) {
        if (e == null) {
            done.incrementAndGet();
        } else {
            reasons.computeIfAbsent(FailureReasons.of(e), r -> new LongAdder()).increment();
            failed.incrementAndGet();
        }
        progress.taskDone(done.get(), failed.get());
        all.countDown();
    }

    /** Waits until every tracked task has ended. */
    Workload.Tally await() throws InterruptedException {
        all.await();
        Map<String, Long> byReason = new TreeMap<>();
        reasons.forEach((r, n) -> byReason.put(r, n.sum()));
        return new Workload.Tally(done.get(), failed.get(), byReason);
    }
}
