package io.railyard.core.processes;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.core.contract.ExecutorServiceContract;

import java.util.List;

/**
 * The {@code processes} model as an {@link java.util.concurrent.ExecutorService}: every task is a
 * serializable record run in a worker JVM, whose package this pool admits. A stopped task's worker
 * is killed, so it sees no interrupt.
 */
class ProcessesExecutorServiceTest extends ExecutorServiceContract {
    @Override
    protected TaskPool open(PoolSpec spec) {
        return new ProcessPool(spec, ProcessPoolOptions.fromOptions(spec.options()).withAllow(List.of("io.railyard.core.contract.*")));
    }

    @Override
    protected boolean interruptsRunningTasks() {
        return false;
    }
}
