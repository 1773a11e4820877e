package io.railyard.loop;

import io.netty.util.concurrent.ScheduledFuture;
import io.railyard.core.BlockingTask;
import io.railyard.core.TaskFuture;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

/**
 * The loop's coordination tools, asyncio's in Java: {@link #semaphore}, {@link #queue},
 * {@link #event}, {@link #all} ({@code gather}), {@link #any}, {@link #timeout} ({@code wait_for})
 * and {@link #toThread} ({@code to_thread}). None of them blocks the loop thread: every wait is a
 * future completed later on the loop. A facility of {@link LoopPool}:
 * {@code ctx.facility(LoopPrimitives.class)}.
 *
 * <p>Thread-safety: the primitives it creates are loop-confined (create and use them on the loop).
 * {@link #all}, {@link #any}, {@link #timeout} and {@link #toThread} may be called from any thread;
 * their futures always complete on the loop, even when the inputs complete elsewhere.
 */
public final class LoopPrimitives {

    private final Loop loop;

    LoopPrimitives(Loop loop) {
        this.loop = loop;
    }

    /** A semaphore with {@code permits} permits. */
    public AsyncSemaphore semaphore(int permits) {
        loop.checkOwner("LoopPrimitives.semaphore");
        return new AsyncSemaphore(loop, permits);
    }

    /** A queue holding at most {@code capacity} items ({@link Integer#MAX_VALUE}: unbounded). */
    public <T> AsyncQueue<T> queue(int capacity) {
        loop.checkOwner("LoopPrimitives.queue");
        return new AsyncQueue<>(loop, capacity);
    }

    /** An event, initially clear. */
    public AsyncEvent event() {
        loop.checkOwner("LoopPrimitives.event");
        return new AsyncEvent(loop);
    }

    /**
     * Every stage's value, in input order (asyncio's {@code gather}). Fails as soon as one input
     * fails, with that input's exception; the others keep running.
     */
    public <T> CompletableFuture<List<T>> all(Collection<? extends CompletionStage<? extends T>> stages) {
        CompletableFuture<List<T>> result = new CompletableFuture<>();
        int n = stages.size();
        if (n == 0) {
            loop.complete(result, List.of());
            return result;
        }
        Object[] values = new Object[n];
        int[] remaining = {n}; // loop-confined: every update runs on the loop
        int i = 0;
        for (CompletionStage<? extends T> stage : stages) {
            int index = i++;
            stage.whenComplete((v, e) -> loop.onLoop(() -> {
                if (result.isDone()) return;
                if (e != null) {
                    result.completeExceptionally(TaskFuture.unwrap(e));
                    return;
                }
                values[index] = v;
                if (--remaining[0] == 0) {
                    @SuppressWarnings("unchecked") List<T> list = (List<T>) Arrays.asList(values);
                    result.complete(list);
                }
            }, result));
        }
        return result;
    }

    /**
     * The value of the first stage to succeed. Fails only if every input fails, with the first
     * failure (the rest attached as suppressed).
     */
    public <T> CompletableFuture<T> any(Collection<? extends CompletionStage<? extends T>> stages) {
        if (stages.isEmpty()) throw new IllegalArgumentException("any() needs at least one stage");
        CompletableFuture<T> result = new CompletableFuture<>();
        List<Throwable> failures = new ArrayList<>(); // loop-confined
        int n = stages.size();
        for (CompletionStage<? extends T> stage : stages) {
            stage.whenComplete((v, e) -> loop.onLoop(() -> {
                if (result.isDone()) return;
                if (e == null) {
                    result.complete(v);
                    return;
                }
                failures.add(TaskFuture.unwrap(e));
                if (failures.size() == n) {
                    Throwable first = failures.getFirst();
                    for (Throwable t : failures.subList(1, n)) if (t != first) first.addSuppressed(t);
                    result.completeExceptionally(first);
                }
            }, result));
        }
        return result;
    }

    /**
     * The stage's outcome, or a {@link TimeoutException} if it takes longer than {@code limit}, in
     * which case the stage is cancelled (asyncio's {@code wait_for}).
     */
    public <T> CompletableFuture<T> timeout(CompletionStage<T> stage, Duration limit) {
        CompletableFuture<T> result = new CompletableFuture<>();
        boolean[] timedOut = {false}; // loop-confined
        ScheduledFuture<?> timer = loop.schedule(() -> {
            if (result.isDone()) return;
            timedOut[0] = true;
            // cancel first, so that whoever sees the timeout also sees the stage cancelled
            stage.toCompletableFuture().cancel(true);
            result.completeExceptionally(timeout(limit));
        }, Math.max(0, limit.toNanos()));
        stage.whenComplete((v, e) -> loop.onLoop(() -> {
            timer.cancel(false);
            if (timedOut[0]) result.completeExceptionally(timeout(limit));
            else if (e == null) result.complete(v);
            else result.completeExceptionally(TaskFuture.unwrap(e));
        }, result));
        return result;
    }

    /**
     * Runs a blocking call on the loop's helper pool and completes the future with its result on the
     * loop (asyncio's {@code to_thread}). The way to call blocking code from a loop task.
     */
    public <T> CompletableFuture<T> toThread(BlockingTask<T> call) {
        return loop.offload(call::call);
    }

    private static TimeoutException timeout(Duration limit) {
        return new TimeoutException("timed out after " + limit.toMillis() + " ms");
    }

}
