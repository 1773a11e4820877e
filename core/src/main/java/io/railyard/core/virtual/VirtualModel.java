package io.railyard.core.virtual;

import io.railyard.core.ModelProvider;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;

/** Registers {@link VirtualPool} as the model {@code virtual}. */
public final class VirtualModel implements ModelProvider {
    @Override
    public String name() {
        return "virtual";
    }

    @Override
    public String description() {
        return "virtual threads: blocking code at event-loop cost, thousands of waiting tasks";
    }

    @Override
    public TaskPool open(PoolSpec spec) {
        return new VirtualPool(spec);
    }

    @Override
    public Class<VirtualPool> poolType() {
        return VirtualPool.class;
    }

    @Override
    public int order() {
        return 40;
    }
}
