package io.railyard.core.trace;

/** How a task ended. */
public enum Outcome {
    OK, FAILED, TIMED_OUT, CANCELLED
}
