package io.railyard.core.autoscale;

import java.util.List;

/**
 * Everything an {@link AutoscaledPool} decided and saw, for the results JSON and the charts:
 * every decision with its reason, and the time series of concurrency, memory, CPU and lag, with the
 * budget to draw as lines. Immutable.
 *
 * @param mode                 {@code railyard} or {@code crawlee}
 * @param memoryBudgetBytes    the memory line
 * @param cpuBudgetCores       the CPU line
 * @param maxConcurrency       the concurrency ceiling
 * @param decisions            every scaling decision, in order
 * @param series               one point per sample
 * @param peakRssBytes         the highest tree RSS the autoscaler sampled
 * @param samplesOverBudget    samples whose tree RSS was above the memory budget (should be 0)
 * @param stoppedTasks         tasks stopped to keep memory under the budget
 * @param finalDesired         the desired concurrency when the pool closed
 * @param steadyAfterS         seconds from open after which the desired concurrency stayed within
 *                             20% of its final value (within 0.5, i.e. equal, for values up to 2);
 *                             a run cut short while still ramping looks steady at its last step
 */
public record AutoscaleReport(String mode, long memoryBudgetBytes, double cpuBudgetCores, int maxConcurrency,
                              List<ScalingDecision> decisions, List<SeriesPoint> series,
                              long peakRssBytes, long samplesOverBudget, long stoppedTasks,
                              int finalDesired, double steadyAfterS) {

    /** When the desired concurrency settled: the last time it was more than 20% away from its final value. */
    static double steadyAfter(List<SeriesPoint> series) {
        if (series.isEmpty()) return 0;
        int last = series.get(series.size() - 1).desired();
        double band = Math.max(0.5, 0.2 * last);
        double steady = series.get(0).tS();
        for (SeriesPoint p : series) {
            if (Math.abs(p.desired() - last) > band) steady = p.tS();
        }
        return steady;
    }
}
