package io.railyard.core.autoscale;

/**
 * One point of the autoscaler's time series, taken on every sample: what the charts draw
 * (concurrency, memory and CPU over time, with the budget as a line). Immutable.
 *
 * @param tS        seconds since the pool opened
 * @param desired   the desired concurrency
 * @param limit     how many tasks the gate let run at this point (desired, lowered by memory or rate)
 * @param inFlight  tasks running
 * @param queued    tasks waiting
 * @param workers   worker processes ({@code processes}), or -1 for models without workers
 * @param rssBytes  tree RSS
 * @param cpuCores  tree CPU use since the previous point, in cores
 * @param lagMs     the loop's lag, or -1 when no loop is measured
 */
public record SeriesPoint(double tS, int desired, int limit, int inFlight, int queued, int workers,
                          long rssBytes, double cpuCores, double lagMs) {
}
