package io.railyard.cluster;

/**
 * A task could not be run to an answer because the members it was sent to left the cluster first
 * (killed, crashed, shut down, or cut off) and the pool gave up resubmitting it: it tried
 * {@link #attempts()} times ({@code maxAttempts}), or no member was left to try. The task may have
 * run, fully or partly, on the lost members: cluster tasks run at least once, not exactly once.
 */
public class MemberDiedException extends RuntimeException {
    private final String member;
    private final long taskId;
    private final int attempts;

    public MemberDiedException(String member, long taskId, int attempts, String why, Throwable cause) {
        super("member " + member + " left the cluster while running task " + taskId + " (attempt " + attempts + "); " + why, cause);
        this.member = member;
        this.taskId = taskId;
        this.attempts = attempts;
    }

    /** The address ({@code host:port}) of the last member the task was sent to. */
    public String member() {
        return member;
    }

    public long taskId() {
        return taskId;
    }

    /** How many times the task was sent before the pool gave up. */
    public int attempts() {
        return attempts;
    }
}
