package io.railyard.bench.harness;

import io.railyard.core.autoscale.Budget;
import io.railyard.core.probe.ResourceSampler;

import java.util.List;

/**
 * Whether a run kept its {@link Budget}, judged from the process tree sampled every 20 ms by the
 * harness's {@link ResourceSampler} (independently of any autoscaler). Immutable.
 *
 * <ul>
 *   <li>Memory is a ceiling: every sample whose tree RSS is above the budget is a breach.</li>
 *   <li>CPU is a rate: the tree's CPU use averaged over each 2 s window (sliding by one sample) is
 *       compared with the budget; a window above the budget by more than {@link #CPU_TOLERANCE}
 *       is a breach. The tolerance covers /proc's 10 ms clock ticks, up to one per process and
 *       reading (0.5% of a 2 s window per process); JIT and GC bursts beyond it count.</li>
 * </ul>
 *
 * @param memoryBudgetBytes the memory line
 * @param cpuBudgetCores    the CPU line
 * @param peakRssBytes      the highest tree RSS sampled
 * @param memorySamples     samples taken
 * @param memoryBreaches    samples above the memory budget
 * @param peakCpuCores      the highest 2 s average CPU use, in cores
 * @param cpuWindows        2 s windows judged
 * @param cpuBreaches       windows above the CPU budget (plus tolerance)
 */
public record BudgetCheck(long memoryBudgetBytes, double cpuBudgetCores, long peakRssBytes, int memorySamples,
                          int memoryBreaches, double peakCpuCores, int cpuWindows, int cpuBreaches) {

    /** A 1 s CPU window may exceed the CPU budget by this share before it counts as a breach. */
    public static final double CPU_TOLERANCE = 0.05;
    private static final long WINDOW_NANOS = 2_000_000_000L;

    /** Whether neither memory nor CPU was ever over. */
    public boolean kept() {
        return memoryBreaches == 0 && cpuBreaches == 0;
    }

    public int breaches() {
        return memoryBreaches + cpuBreaches;
    }

    /** Judges a sampled series against the budget. */
    public static BudgetCheck of(Budget budget, List<ResourceSampler.Sample> series) {
        long peak = 0;
        int memOver = 0;
        for (ResourceSampler.Sample s : series) {
            peak = Math.max(peak, s.rssBytes());
            if (s.rssBytes() > budget.maxMemoryBytes()) memOver++;
        }
        double limit = budget.maxCpuCores() * (1 + CPU_TOLERANCE);
        double peakCpu = 0;
        int windows = 0, cpuOver = 0;
        int j = 0;
        for (int i = 0; i < series.size(); i++) {
            ResourceSampler.Sample end = series.get(i);
            while (j < i && end.elapsedNanos() - series.get(j + 1).elapsedNanos() >= WINDOW_NANOS) j++;
            ResourceSampler.Sample start = series.get(j);
            long span = end.elapsedNanos() - start.elapsedNanos();
            if (span < WINDOW_NANOS) continue;
            double cores = (end.cpuNanos() - start.cpuNanos()) / (double) span;
            windows++;
            peakCpu = Math.max(peakCpu, cores);
            if (cores > limit) cpuOver++;
        }
        return new BudgetCheck(budget.maxMemoryBytes(), budget.maxCpuCores(), peak, series.size(), memOver, peakCpu, windows, cpuOver);
    }
}
