package io.railyard.core.processes;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.core.contract.TaskPoolContract;

import java.util.List;

/**
 * The contract suite for {@code processes}: every job runs in a worker JVM. The contract's job
 * classes are not on the default allow-list (it stays strict), so this pool admits their package.
 */
class ProcessesContractTest extends TaskPoolContract {
    @Override
    protected TaskPool open(PoolSpec spec) {
        return new ProcessPool(spec, ProcessPoolOptions.fromOptions(spec.options())
                .withAllow(List.of("io.railyard.core.contract.*")));
    }
}
