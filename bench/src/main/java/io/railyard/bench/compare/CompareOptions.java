package io.railyard.bench.compare;

import io.railyard.bench.workload.Scale;
import io.railyard.core.autoscale.AutoscaleOptions;
import io.railyard.core.autoscale.Budget;

import java.util.List;
import java.util.Map;

/**
 * What to compare: the scale, trials, which Java models, which CPython models and which workloads.
 * Validated by whoever builds it (the CLI); immutable.
 *
 * @param python         the CPython interpreter to run, or null when CPython is not measured
 * @param pythonVersion  its version (probed), or null
 * @param pythonReason   why CPython is not measured, when {@code python} is null
 * @param budget         when not null, every Java trial is judged against it (and autoscaled in it
 *                       with {@code autoscale}, the cell's C being the most tasks in flight)
 * @param autoscale      the autoscaler's settings, or null for fixed concurrency
 */
public record CompareOptions(Scale scale, int warmup, int trials, List<String> javaModels, List<String> pythonModels,
                             List<String> workloads, String python, String pythonVersion, String pythonReason,
                             Map<String, String> modelOptions, Budget budget, AutoscaleOptions autoscale) {
    public CompareOptions {
        javaModels = List.copyOf(javaModels);
        pythonModels = List.copyOf(pythonModels);
        workloads = List.copyOf(workloads);
        modelOptions = Map.copyOf(modelOptions);
    }

    /** Fixed concurrency, no budget. */
    public CompareOptions(Scale scale, int warmup, int trials, List<String> javaModels, List<String> pythonModels,
                          List<String> workloads, String python, String pythonVersion, String pythonReason,
                          Map<String, String> modelOptions) {
        this(scale, warmup, trials, javaModels, pythonModels, workloads, python, pythonVersion, pythonReason, modelOptions, null, null);
    }
}
