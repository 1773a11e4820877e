package io.railyard.bench.advise;

/**
 * The task given to {@link Advisor} fails on one of the inputs given with it, before any model is
 * tried: the message is one line naming the input line, the input and the task's error. The task
 * and its inputs are the user's, so the command line reports it as bad input. Immutable.
 */
public final class TaskFailsOnInputException extends IllegalArgumentException {
    public TaskFailsOnInputException(String message) {
        super(message);
    }
}
