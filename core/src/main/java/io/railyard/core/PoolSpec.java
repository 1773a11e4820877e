package io.railyard.core;

import io.railyard.core.time.TimeSource;
import io.railyard.core.trace.TraceRecorder;

import java.util.Map;

/**
 * What every model needs to open a pool: its concurrency, its clock, where it records task traces,
 * and model-specific options as strings (documented by each model, e.g. {@code maxTasksPerWorker}
 * for {@code processes}). Immutable.
 */
public record PoolSpec(int concurrency, TimeSource time, TraceRecorder trace, Map<String, String> options) {

    public PoolSpec {
        if (concurrency < 1) throw new IllegalArgumentException("concurrency must be >= 1, was " + concurrency);
        if (time == null) time = TimeSource.system();
        if (trace == null) trace = TraceRecorder.disabled();
        options = options == null ? Map.of() : Map.copyOf(options);
    }

    public static PoolSpec of(int concurrency) {
        return new PoolSpec(concurrency, null, null, null);
    }

    public PoolSpec withTime(TimeSource time) {
        return new PoolSpec(concurrency, time, trace, options);
    }

    public PoolSpec withTrace(TraceRecorder trace) {
        return new PoolSpec(concurrency, time, trace, options);
    }

    public PoolSpec withOptions(Map<String, String> options) {
        return new PoolSpec(concurrency, time, trace, options);
    }

    public PoolSpec withConcurrency(int concurrency) {
        return new PoolSpec(concurrency, time, trace, options);
    }

    /** An option's value, or {@code fallback} when it is not set. */
    public String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }
}
