package io.railyard.core.threads;

import io.railyard.core.ModelProvider;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;

/** Registers {@link ThreadsPool} as the model {@code threads}. */
public final class ThreadsModel implements ModelProvider {
    @Override
    public String name() {
        return "threads";
    }

    @Override
    public String description() {
        return "platform threads, preemptive, shared memory: blocking libraries at moderate concurrency";
    }

    @Override
    public TaskPool open(PoolSpec spec) {
        return new ThreadsPool(spec);
    }

    @Override
    public Class<ThreadsPool> poolType() {
        return ThreadsPool.class;
    }

    @Override
    public int order() {
        return 20;
    }
}
