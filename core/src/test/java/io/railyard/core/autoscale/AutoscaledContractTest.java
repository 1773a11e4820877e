package io.railyard.core.autoscale;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.core.contract.TaskPoolContract;
import io.railyard.core.threads.ThreadsPool;
import io.railyard.core.trace.TraceRecorder;

/**
 * The autoscaled pool is a TaskPool like any model: the whole contract, over threads, with a budget
 * that never binds (the spec's concurrency is the budget's maximum; the autoscaler ramps to it).
 */
class AutoscaledContractTest extends TaskPoolContract {
    @Override
    protected TaskPool open(PoolSpec spec) {
        Budget generous = new Budget(1L << 40, 1024, spec.concurrency(), 0);
        // the model records no traces: the autoscaled pool records one per task itself
        return new AutoscaledPool(new ThreadsPool(spec.withTrace(TraceRecorder.disabled())), spec, generous, AutoscaleOptions.DEFAULT);
    }
}
