package io.railyard.loop;

import io.netty.util.concurrent.ScheduledFuture;
import io.railyard.core.time.TimeSource;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Timers on the loop: {@link #sleep} (asyncio's {@code asyncio.sleep}) and {@link #schedule}
 * ({@code loop.call_later}). Actions run on the loop thread as monitored callbacks. A facility of
 * {@link LoopPool}: {@code ctx.facility(LoopTimers.class)}.
 *
 * <p>It is also a {@link TimeSource} whose actions run on the loop, so components that take a time
 * source (samplers, autoscalers) can be driven by the loop.
 *
 * <p>Thread-safe: Netty's scheduler accepts timers from any thread; the actions always run on the loop.
 */
public final class LoopTimers implements TimeSource {

    private final Loop loop;

    LoopTimers(Loop loop) {
        this.loop = loop;
    }

    @Override
    public long nanoTime() {
        return System.nanoTime();
    }

    @Override
    public Cancellable schedule(Duration delay, Runnable action) {
        ScheduledFuture<?> f = loop.schedule(action, Math.max(0, delay.toNanos()));
        return () -> f.cancel(false);
    }

    /** A future completed on the loop after {@code delay}; cancelling it cancels the timer. */
    public CompletableFuture<Void> sleep(Duration delay) {
        Sleep s = new Sleep();
        s.timer = loop.eventLoop.schedule(s, Math.max(0, delay.toNanos()), java.util.concurrent.TimeUnit.NANOSECONDS);
        return s;
    }

    /** The future of a sleep and its timer's action at once: one object per sleep. */
    private final class Sleep extends CompletableFuture<Void> implements Runnable {
        volatile ScheduledFuture<?> timer;

        @Override
        public void run() {
            loop.complete(this, null);
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean done = super.cancel(mayInterruptIfRunning);
            ScheduledFuture<?> t = timer;
            if (done && t != null) t.cancel(false);
            return done;
        }

        @Override
        public <U> CompletableFuture<U> newIncompleteFuture() {
            return new CompletableFuture<>();
        }
    }
}
