package io.railyard.core.threads;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.core.contract.ExecutorServiceContract;

/** The {@code threads} model as an {@link java.util.concurrent.ExecutorService}. */
class ThreadsExecutorServiceTest extends ExecutorServiceContract {
    @Override
    protected TaskPool open(PoolSpec spec) {
        return new ThreadsPool(spec);
    }
}
