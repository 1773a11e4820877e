package io.railyard.core.threads;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.core.contract.TaskPoolContract;

class ThreadsContractTest extends TaskPoolContract {
    @Override
    protected TaskPool open(PoolSpec spec) {
        return new ThreadsPool(spec);
    }
}
