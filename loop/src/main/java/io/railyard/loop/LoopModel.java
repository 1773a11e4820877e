package io.railyard.loop;

import io.railyard.core.ModelProvider;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;

/** Registers {@link LoopPool} as the model {@code loop}. */
public final class LoopModel implements ModelProvider {
    @Override
    public String name() {
        return "loop";
    }

    @Override
    public String description() {
        return "one event-loop thread, cooperative (the seed's Async IO): non-blocking IO for thousands of connections";
    }

    @Override
    public TaskPool open(PoolSpec spec) {
        return new LoopPool(spec);
    }

    @Override
    public java.util.List<String> optionKeys() {
        return LoopOptions.KEYS;
    }

    @Override
    public void checkOptions(PoolSpec spec) {
        LoopOptions.from(spec);
    }

    @Override
    public Class<LoopPool> poolType() {
        return LoopPool.class;
    }

    @Override
    public int order() {
        return 30;
    }
}
