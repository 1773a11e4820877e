package io.railyard.core.processes;

import io.railyard.core.ModelProvider;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;

import java.util.HashMap;
import java.util.Map;

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
    public void checkOptions(PoolSpec spec) {
        ProcessPoolOptions.fromOptions(spec.options());
    }

    @Override
    public Class<ProcessPool> poolType() {
        return ProcessPool.class;
    }

    /**
     * Worker JVMs size their heap as a JVM in a container of the budget's size would (a quarter of
     * it), not a quarter of the machine: garbage would otherwise grow each worker without bound. The
     * flag {@code -XX:MaxRAM=} goes first in option {@code jvmArgs}, so the caller's own flags come
     * after it and win. And the workers use an AOT cache another pool trained but train none
     * ({@code aotCache=existing} in place of {@code auto}): training takes ~100 MB more than a worker.
     */
    @Override
    public Map<String, String> optionsWithinMemory(long maxMemoryBytes, Map<String, String> options) {
        Map<String, String> o = new HashMap<>(options);
        o.merge(ProcessPoolOptions.JVM_ARGS, "-XX:MaxRAM=" + maxMemoryBytes, (user, ours) -> ours + " " + user);
        o.merge("aotCache", AotCache.EXISTING, (user, ours) -> user.strip().equals("auto") ? ours : user);
        return o;
    }

    @Override
    public int order() {
        return 10;
    }
}
