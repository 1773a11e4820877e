package io.railyard.core;

/**
 * Thrown while iterating the results of {@link TaskPool#map} or {@link TaskPool#mapUnordered} when
 * the task for one input failed. The cause is the task's own exception (for a worker process, a
 * {@link RemoteException} carrying the remote stack trace); {@link #inputIndex()} says which input.
 */
public class TaskFailedException extends RuntimeException {
    private final long inputIndex;

    public TaskFailedException(long inputIndex, Throwable cause) {
        super("task for input #" + inputIndex + " failed: " + cause, cause);
        this.inputIndex = inputIndex;
    }

    /** Position of the failed input in the input sequence, counting from 0. */
    public long inputIndex() {
        return inputIndex;
    }
}
