package io.railyard.core.virtual;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.core.contract.TaskPoolContract;

class VirtualContractTest extends TaskPoolContract {
    @Override
    protected TaskPool open(PoolSpec spec) {
        return new VirtualPool(spec);
    }
}
