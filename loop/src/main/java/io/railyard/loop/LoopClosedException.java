package io.railyard.loop;

import java.util.concurrent.RejectedExecutionException;

/**
 * The event loop of a {@link LoopPool} has shut down (the pool terminated) and refused a callback:
 * the callback did not run, on the loop or anywhere else. It fails what the callback was for: a
 * task's continuation hopping to the loop ({@link io.railyard.core.TaskContext#executor()}), the
 * future of a loop operation whose result arrived too late, a primitive's hand-over.
 */
public class LoopClosedException extends RejectedExecutionException {
    public LoopClosedException(String message, Throwable cause) {
        super(message, cause);
    }
}
