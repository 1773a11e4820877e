package io.railyard.core.virtual;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.core.contract.ExecutorServiceContract;

/** The {@code virtual} model as an {@link java.util.concurrent.ExecutorService}. */
class VirtualExecutorServiceTest extends ExecutorServiceContract {
    @Override
    protected TaskPool open(PoolSpec spec) {
        return new VirtualPool(spec);
    }
}
