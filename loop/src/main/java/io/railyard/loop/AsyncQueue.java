package io.railyard.loop;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * A FIFO queue between tasks on the loop (asyncio's {@code Queue}): {@link #take()} waits for an
 * item and {@link #put} waits for room (when bounded), both by returning futures, never by blocking
 * the loop thread. Waiters are served in FIFO order; cancelled waiters are skipped and lose nothing
 * (an item is only removed for a taker whose future accepts it).
 *
 * <p>Waking is deferred to a later loop callback, like {@link AsyncSemaphore}. A put is decided when
 * its item enters the queue: cancelling its future after that does not take the item back.
 *
 * <p>Loop-confined: every method must be called on the loop thread (checked).
 */
public final class AsyncQueue<T> {

    private record Putter<T>(T item, CompletableFuture<Void> done) {}

    private final Loop loop;
    private final int capacity;
    private final ArrayDeque<T> items = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<T>> takers = new ArrayDeque<>();
    private final ArrayDeque<Putter<T>> putters = new ArrayDeque<>();
    private boolean matchScheduled;

    AsyncQueue(Loop loop, int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        this.loop = loop;
        this.capacity = capacity;
    }

    /** Adds an item; the future completes once it is in the queue (at once if there is room). */
    public CompletableFuture<Void> put(T item) {
        loop.checkOwner("AsyncQueue.put");
        if (item == null) throw new NullPointerException("item");
        if (items.size() < capacity && putters.isEmpty()) {
            items.addLast(item);
            scheduleMatch();
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        putters.addLast(new Putter<>(item, done));
        return done;
    }

    /** Adds an item if there is room now; never waits. */
    public boolean offer(T item) {
        loop.checkOwner("AsyncQueue.offer");
        if (item == null) throw new NullPointerException("item");
        if (items.size() >= capacity || !putters.isEmpty()) return false;
        items.addLast(item);
        scheduleMatch();
        return true;
    }

    /** The next item; the future completes at once if one is there and nobody waits before us. */
    public CompletableFuture<T> take() {
        loop.checkOwner("AsyncQueue.take");
        if (!items.isEmpty() && takers.isEmpty()) {
            T item = items.pollFirst();
            admitPutters();
            return CompletableFuture.completedFuture(item);
        }
        CompletableFuture<T> t = new CompletableFuture<>();
        takers.addLast(t);
        scheduleMatch();
        return t;
    }

    /** The next item if there is one and nobody waits before us, else null; never waits. */
    public T poll() {
        loop.checkOwner("AsyncQueue.poll");
        if (items.isEmpty() || !takers.isEmpty()) return null;
        T item = items.pollFirst();
        admitPutters();
        return item;
    }

    public int size() {
        loop.checkOwner("AsyncQueue.size");
        return items.size();
    }

    private void scheduleMatch() {
        if (matchScheduled || takers.isEmpty() || items.isEmpty()) return;
        matchScheduled = true;
        loop.execute(this::match);
    }

    /** Hands items to takers in order; runs as its own loop callback. */
    private void match() {
        matchScheduled = false;
        while (!takers.isEmpty() && !items.isEmpty()) {
            CompletableFuture<T> t = takers.pollFirst();
            T item = items.pollFirst();
            if (!t.complete(item)) {
                items.addFirst(item); // that taker was cancelled: the item stays first in line
                continue;
            }
            admitPutters();
        }
    }

    private void admitPutters() {
        while (items.size() < capacity && !putters.isEmpty()) {
            Putter<T> p = putters.pollFirst();
            if (p.done.isDone()) continue; // cancelled: its item never entered
            items.addLast(p.item);
            loop.execute(() -> p.done.complete(null));
        }
        scheduleMatch();
    }
}
