package io.railyard.core.autoscale;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.core.contract.ExecutorServiceContract;
import io.railyard.core.threads.ThreadsPool;
import io.railyard.core.trace.TraceRecorder;

/** An autoscaled pool (over threads, a budget that never binds) as an {@link java.util.concurrent.ExecutorService}. */
class AutoscaledExecutorServiceTest extends ExecutorServiceContract {
    @Override
    protected TaskPool open(PoolSpec spec) {
        Budget generous = new Budget(1L << 40, 1024, spec.concurrency(), 0);
        return new AutoscaledPool(new ThreadsPool(spec.withTrace(TraceRecorder.disabled())), spec, generous, AutoscaleOptions.DEFAULT);
    }
}
