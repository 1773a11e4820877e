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
    private MemberRuntime runtime;

    CancelTask(UUID pool, long taskId) {
        this.pool = pool;
        this.taskId = taskId;
    }

    UUID pool() {
        return pool;
    }

    long taskId() {
        return taskId;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.runtime = instance.getUserContext().get(MemberRuntime.KEY) instanceof MemberRuntime r ? r : null;
    }

    @Override
    public Boolean call() {
        return runtime != null && runtime.cancel(pool, taskId);
    }
}
