package io.railyard.core;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** A task ran longer than the timeout it was submitted with, and was stopped. */
public class TaskTimeoutException extends TimeoutException {
    public TaskTimeoutException(long taskId, Duration timeout) {
        super("task " + taskId + " ran longer than its timeout of " + timeout.toMillis() + " ms and was stopped");
    }
}
