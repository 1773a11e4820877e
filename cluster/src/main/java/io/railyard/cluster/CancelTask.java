package io.railyard.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;

import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * Stop task {@code taskId} of pool {@code pool} on the member it was sent to: interrupt its thread
 * if it runs, or remember to skip it if it has not arrived yet (the cancel can overtake the task on
 * its way). Sent to the member's control executor ({@value ClusterMember#CONTROL_EXECUTOR}), whose
 * thread is never busy with tasks, so a cancel is never queued behind the work it should stop.
 * Answers whether the task was running there. Serialized by {@link Wire}.
 */
final class CancelTask implements Callable<Boolean>, HazelcastInstanceAware {
    private final UUID pool;
    private final long taskId;
    private final byte[] mac;
    private MemberRuntime runtime;

    CancelTask(UUID pool, long taskId, byte[] mac) {
        this.pool = pool;
        this.taskId = taskId;
        this.mac = mac;
    }

    UUID pool() {
        return pool;
    }

    long taskId() {
        return taskId;
    }

    /** The cancel's authentication code ({@link MessageAuth}): nobody without the secret may cancel a pool's tasks. */
    byte[] mac() {
        return mac;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.runtime = instance.getUserContext().get(MemberRuntime.KEY) instanceof MemberRuntime r ? r : null;
    }

    @Override
    public Boolean call() {
        return runtime != null && runtime.cancel(this);
    }
}
