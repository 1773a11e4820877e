package io.railyard.core.processes;

import io.railyard.core.ModelProvider;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;

/** Registers {@link ProcessPool} as the model {@code processes}. */
public final class ProcessesModel implements ModelProvider {
    @Override
    public String name() {
        return "processes";
    }

    @Override
    public String description() {
        return "worker JVMs with framed IPC, memory separation and crash containment: CPU-bound work on every core";
    }

    @Override
    public TaskPool open(PoolSpec spec) {
        return new ProcessPool(spec);
    }

    @Override
    public java.util.List<String> optionKeys() {
        return ProcessPoolOptions.KEYS;
    }

    @Override
    public int order() {
        return 10;
    }
}
