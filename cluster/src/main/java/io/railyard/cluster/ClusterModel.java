package io.railyard.cluster;

import io.railyard.core.ModelProvider;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;

/** Registers {@link ClusterPool} as the model {@code cluster}. */
public final class ClusterModel implements ModelProvider {
    @Override
    public String name() {
        return "cluster";
    }

    @Override
    public String description() {
        return "Hazelcast's distributed executor, an embedded member by default or --cluster host:port: work that outgrows one machine";
    }

    @Override
    public TaskPool open(PoolSpec spec) {
        return new ClusterPool(spec);
    }

    @Override
    public java.util.List<String> optionKeys() {
        return ClusterPoolOptions.KEYS;
    }

    @Override
    public void checkOptions(PoolSpec spec) {
        ClusterPoolOptions.fromOptions(spec.options());
    }

    @Override
    public Class<ClusterPool> poolType() {
        return ClusterPool.class;
    }

    @Override
    public int order() {
        return 50;
    }
}
