package io.railyard.loop;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A counting semaphore for tasks on the loop (asyncio's {@code Semaphore}): {@link #acquire()}
 * returns a future instead of blocking, so a task waiting for a permit never holds the loop thread.
 * Waiters get permits in FIFO order; a waiter whose future was cancelled is skipped.
 *
 * <p>Waking is deferred to a later loop callback (as asyncio schedules future callbacks with
 * {@code call_soon}): a release never runs the next holder's code inline, so a chain of thousands of
 * acquire/release pairs cannot overflow the stack.
 *
 * <p>Loop-confined: every method must be called on the loop thread (checked).
 */
public final class AsyncSemaphore {

    private final Loop loop;
    private final ArrayDeque<CompletableFuture<Void>> waiters = new ArrayDeque<>();
    private int permits;
    private boolean wakeScheduled;

    AsyncSemaphore(Loop loop, int permits) {
        if (permits < 0) throw new IllegalArgumentException("permits must be >= 0, was " + permits);
        this.loop = loop;
        this.permits = permits;
    }

    /** A future completed when a permit is taken for the caller; already complete if one was free. */
    public CompletableFuture<Void> acquire() {
        loop.checkOwner("AsyncSemaphore.acquire");
        if (permits > 0 && waiters.isEmpty()) {
            permits--;
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> w = new CompletableFuture<>();
        waiters.addLast(w);
        return w;
    }

    /** Takes a permit if one is free now; never waits. */
    public boolean tryAcquire() {
        loop.checkOwner("AsyncSemaphore.tryAcquire");
        if (permits > 0 && waiters.isEmpty()) {
            permits--;
            return true;
        }
        return false;
    }

    /** Returns a permit; the longest waiter gets it in a later callback. */
    public void release() {
        loop.checkOwner("AsyncSemaphore.release");
        permits++;
        if (!waiters.isEmpty() && !wakeScheduled) {
            wakeScheduled = true;
            loop.execute(this::wake);
        }
    }

    public int availablePermits() {
        loop.checkOwner("AsyncSemaphore.availablePermits");
        return permits;
    }

    /** Tasks waiting for a permit (cancelled ones may still be counted until skipped). */
    public int waiting() {
        loop.checkOwner("AsyncSemaphore.waiting");
        return waiters.size();
    }

    private void wake() {
        wakeScheduled = false;
        while (permits > 0 && !waiters.isEmpty()) {
            CompletableFuture<Void> w = waiters.pollFirst();
            permits--;
            if (!w.complete(null)) permits++; // cancelled while waiting
        }
    }
}
