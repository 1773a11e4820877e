package io.railyard.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;

import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * One railyard task on its way to a member: the Hazelcast {@link Callable} a {@link ClusterPool}
 * submits to the member's executor. It carries the task encoded by the pool's codec; on the member,
 * Hazelcast hands it the member's {@link HazelcastInstance}, through which it finds the member's
 * {@link MemberRuntime} (its codec and allow-list), which decodes, runs and answers it.
 *
 * <p>Serialized by {@link Wire.TaskSerializer}; the member checks its {@link #mac()} before it decodes the payload. Built on the submitting thread, run on one member
 * executor thread; the runtime is set by Hazelcast before {@link #call()} on that thread.
 */
final class RemoteTask implements Callable<Reply>, HazelcastInstanceAware {
    private final UUID pool;
    private final long taskId;
    private final int worker;
    private final byte[] payload;
    private final byte[] mac;
    private MemberRuntime runtime;
    private String memberName;

    RemoteTask(UUID pool, long taskId, int worker, byte[] payload, byte[] mac) {
        this.pool = pool;
        this.taskId = taskId;
        this.worker = worker;
        this.payload = payload;
        this.mac = mac;
    }

    /** The pool that sent it: task ids are unique within a pool, and members serve many pools. */
    UUID pool() {
        return pool;
    }

    long taskId() {
        return taskId;
    }

    /** The index the pool gave the member it sent this task to: {@link io.railyard.core.TaskContext#worker()}. */
    int worker() {
        return worker;
    }

    byte[] payload() {
        return payload;
    }

    /** The task's authentication code under the cluster's secret ({@link MessageAuth}); empty without one. */
    byte[] mac() {
        return mac;
    }

    @Override
    public void setHazelcastInstance(HazelcastInstance instance) {
        this.memberName = instance.getName();
        this.runtime = instance.getUserContext().get(MemberRuntime.KEY) instanceof MemberRuntime r ? r : null;
    }

    @Override
    public Reply call() {
        if (runtime == null)
            throw new IllegalStateException("member " + memberName + " is not a railyard member (it has no railyard runtime):"
                    + " start members with 'railyard member'");
        return runtime.run(this);
    }
}
