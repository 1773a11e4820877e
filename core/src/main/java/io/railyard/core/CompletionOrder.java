package io.railyard.core;

import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The iterator behind {@link TaskPool#asCompleted}: one consumer thread; futures complete anywhere. */
final class CompletionOrder<F extends CompletableFuture<?>> implements Iterator<F> {
    private final LinkedBlockingQueue<F> done = new LinkedBlockingQueue<>();
    private final Long deadlineNanos;
    private int remaining;

    CompletionOrder(Collection<F> futures, Duration timeout) {
        this.remaining = futures.size();
        this.deadlineNanos = timeout == null ? null : System.nanoTime() + timeout.toNanos();
        for (F f : futures) f.whenComplete((v, e) -> done.add(f));
    }

    @Override
    public boolean hasNext() {
        return remaining > 0;
    }

    @Override
    public F next() {
        if (remaining == 0) throw new NoSuchElementException();
        try {
            F f = deadlineNanos == null
                    ? done.take()
                    : done.poll(deadlineNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (f == null) throw new CompletionException(new TimeoutException(remaining + " futures not done in time"));
            remaining--;
            return f;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }
}
