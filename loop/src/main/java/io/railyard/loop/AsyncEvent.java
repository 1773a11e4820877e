package io.railyard.loop;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A flag tasks can wait for (asyncio's {@code Event}): {@link #await()} returns a future completed
 * once the event is {@link #set()}. Setting wakes every waiter, in a later loop callback.
 *
 * <p>Loop-confined: every method must be called on the loop thread (checked).
 */
public final class AsyncEvent {

    private final Loop loop;
    private List<CompletableFuture<Void>> waiters = new ArrayList<>();
    private boolean set;

    AsyncEvent(Loop loop) {
        this.loop = loop;
    }

    /** Completed now if the event is set, else when it is. */
    public CompletableFuture<Void> await() {
        loop.checkOwner("AsyncEvent.await");
        if (set) return CompletableFuture.completedFuture(null);
        CompletableFuture<Void> w = new CompletableFuture<>();
        waiters.add(w);
        return w;
    }

    /** Sets the flag and wakes every waiter. Idempotent. */
    public void set() {
        loop.checkOwner("AsyncEvent.set");
        if (set) return;
        set = true;
        if (waiters.isEmpty()) return;
        List<CompletableFuture<Void>> wake = waiters;
        waiters = new ArrayList<>();
        loop.execute(() -> {
            for (CompletableFuture<Void> w : wake) w.complete(null);
        });
    }

    /** Clears the flag: later {@link #await()} calls wait again. */
    public void clear() {
        loop.checkOwner("AsyncEvent.clear");
        set = false;
    }

    public boolean isSet() {
        loop.checkOwner("AsyncEvent.isSet");
        return set;
    }
}
