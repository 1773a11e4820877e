package io.railyard.bench.harness;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.railyard.bench.workload.Workload;
import io.railyard.core.autoscale.AutoscaleReport;
import io.railyard.core.probe.ResourceSampler;
import io.railyard.core.trace.TaskRecord;

import java.util.List;

/**
 * The figures of one run of a workload on one model: a fresh pool opened, the work done, the pool
 * closed. Wall and CPU time cover exactly that span (CPU of the whole process tree); the peak RSS is
 * the tree's, sampled every 20 ms and never below the JVM's own high-water mark.
 *
 * @param startupS         time to open the pool (worker processes started, loop running)
 * @param queuedP50Us      submit-to-start latency percentiles, microseconds (per-task overhead + queueing):
 *                         see {@link SubmitToStart} for what is measured and how
 * @param peakThreads      the most OS threads the JVM had during the trial
 * @param peakProcesses    the most processes in the tree during the trial (1 = just the JVM)
 * @param warm             false for a fresh JVM's first run, true after a warm-up run or an earlier trial
 * @param budget           whether the trial kept its budget (runs given one), else null
 * @param autoscale        the autoscaler's decisions and time series (autoscaled runs), else null
 * @param failures         failed tasks by reason (timeout, body limit, refused, worker died...), when counted
 * @param figures          what the workload measured besides its tasks' records ({@link Workload.Tally#figures()})
 */
public record Trial(double wallS, double cpuS, long peakRssBytes, long ok, long failed, double startupS,
                    double queuedP50Us, double queuedP99Us, double queuedMaxUs,
                    int peakThreads, int peakProcesses, boolean warm,
                    @JsonIgnore List<TaskRecord> records,
                    @JsonIgnore List<ResourceSampler.Sample> series,
                    @JsonInclude(JsonInclude.Include.NON_NULL) BudgetCheck budget,
                    @JsonInclude(JsonInclude.Include.NON_NULL) AutoscaleReport autoscale,
                    @JsonInclude(JsonInclude.Include.NON_EMPTY) java.util.Map<String, Long> failures,
                    @JsonInclude(JsonInclude.Include.NON_EMPTY) java.util.Map<String, Double> figures) {

    /**
     * The figure, among {@link #figures()}, of the cores other programs on the machine kept busy on
     * average while the trial ran ({@link io.railyard.core.probe.ResourceSampler.Samples#othersCores()}):
     * a run that shared its cores cannot show what they do for it. Work against a test server (io,
     * connections) counts the server, a process of its own, among the others.
     */
    public static final String OTHERS_CORES = "others_cores";

    /** CPU seconds per wall second: how many cores the work kept busy. */
    public double coresUsed() {
        return wallS > 0 ? cpuS / wallS : 0;
    }
}
