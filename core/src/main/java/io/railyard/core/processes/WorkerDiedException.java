package io.railyard.core.processes;

/**
 * The worker process running a task died before answering: killed (kill -9, a timeout, a cancel),
 * exited ({@code System.exit} in the task, {@code OutOfMemoryError} with
 * {@code -XX:+ExitOnOutOfMemoryError}), or crashed. Only that task fails; the pool starts a
 * replacement worker and every other task goes on.
 */
public class WorkerDiedException extends RuntimeException {
    private final int workerIndex;
    private final long pid;
    private final int exitStatus;

    public WorkerDiedException(int workerIndex, long pid, int exitStatus, long taskId, String lastOutput) {
        super("worker " + workerIndex + " (pid " + pid + ") died with exit status " + describe(exitStatus)
                + " while running task " + taskId + (lastOutput.isEmpty() ? "" : "; its last output: " + lastOutput));
        this.workerIndex = workerIndex;
        this.pid = pid;
        this.exitStatus = exitStatus;
    }

    private static String describe(int status) {
        return switch (status) {
            case 137 -> "137 (SIGKILL)";
            case 143 -> "143 (SIGTERM)";
            case 134 -> "134 (SIGABRT, a JVM crash)";
            case -1 -> "unknown (still exiting)";
            default -> Integer.toString(status);
        };
    }

    public int workerIndex() {
        return workerIndex;
    }

    public long pid() {
        return pid;
    }

    /** The process's exit status; 128 + n when signal n killed it; -1 if it could not be read. */
    public int exitStatus() {
        return exitStatus;
    }
}
