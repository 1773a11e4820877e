package io.railyard.loop;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.core.contract.ExecutorServiceContract;

/**
 * The {@code loop} model as an {@link java.util.concurrent.ExecutorService}: each task is a
 * blocking task on the one loop thread (the loop's rule for them), so a waiting task holds the
 * loop and cannot be interrupted; stopped, its future is cancelled and it ends when released.
 */
class LoopExecutorServiceTest extends ExecutorServiceContract {
    @Override
    protected TaskPool open(PoolSpec spec) {
        return new LoopPool(spec);
    }

    @Override
    protected boolean interruptsRunningTasks() {
        return false;
    }
}
