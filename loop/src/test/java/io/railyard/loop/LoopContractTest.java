package io.railyard.loop;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.core.contract.TaskPoolContract;

/** The contract every model honours, run with the asynchronous forms of the jobs. */
class LoopContractTest extends TaskPoolContract {
    @Override
    protected TaskPool open(PoolSpec spec) {
        return new LoopPool(spec);
    }

    @Override
    protected boolean asyncJobs() {
        return true;
    }
}
