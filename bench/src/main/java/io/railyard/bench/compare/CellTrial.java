package io.railyard.bench.compare;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.railyard.bench.harness.BudgetCheck;
import io.railyard.bench.harness.SubmitToStart;
import io.railyard.bench.harness.Trial;
import io.railyard.core.probe.CoresBusy;
import io.railyard.core.probe.ResourceSampler;
import io.railyard.core.trace.TaskRecord;

import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * One counted run of a cell, as stored in {@code results.json}: the figures the probes measured
 * and the raw samples they came from (one record per task, the resource time series). Every figure
 * of the compare table is computed from these (see {@link TableBuilder}).
 *
 * @param startRssBytes the tree's RSS at the first sample, before the pool opened: the baseline of
 *                      "memory per in-flight task"
 * @param startupS      time to open the pool (threads, worker processes, the loop)
 * @param budget        how the trial kept the budget, when compare ran with one; else null
 * @param figures       what the workload measured besides its tasks' records, by name (the counter's
 *                      lost updates); empty for most workloads
 */
public record CellTrial(double wallS, double cpuS, long peakRssBytes, long startRssBytes, long ok, long failed,
                        double startupS, int peakThreads, int peakProcesses, Tasks tasks, Series series,
                        BudgetCheck budget, @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Double> figures) {

    @JsonCreator
    public CellTrial {
        figures = figures == null ? Map.of() : Map.copyOf(figures);
    }

    /**
     * A process measured from outside only (a fresh command, {@link FreshStart} and {@link FreshCommand}):
     * its wall, its tree's CPU, memory, threads and processes from {@code s}, no task records.
     */
    static CellTrial ofProcess(double wallS, ResourceSampler.Samples s, long ok, long failed, double startupS) {
        Tasks none = new Tasks(new long[0], new long[0], new long[0], new int[0], new long[0], 0);
        return new CellTrial(wallS, s.cpuNanos() / 1e9, s.peakRssBytes(), s.startRssBytes(), ok, failed, startupS,
                s.peakThreads(), s.peakProcesses(), none, Series.of(s.series()), null);
    }

    /** A trial whose workload measured nothing besides its tasks' records. */
    public CellTrial(double wallS, double cpuS, long peakRssBytes, long startRssBytes, long ok, long failed,
                     double startupS, int peakThreads, int peakProcesses, Tasks tasks, Series series, BudgetCheck budget) {
        this(wallS, cpuS, peakRssBytes, startRssBytes, ok, failed, startupS, peakThreads, peakProcesses, tasks, series, budget, Map.of());
    }

    /**
     * Per-task records as columns, microseconds from the first submit; -1 where unknown (a task that
     * never started, CPU time a model cannot tell). A start is when the task's code began where it
     * ran ({@link io.railyard.bench.harness.SubmitToStart}); {@code estimatedStarts} counts those worked
     * out from a round trip instead (tasks run by a cluster member on another machine).
     */
    public record Tasks(long[] submitUs, long[] startUs, long[] endUs, int[] worker, long[] cpuUs, int estimatedStarts) {
        public int size() {
            return submitUs.length;
        }

        /** From the harness's records, sorted by submit time. */
        static Tasks of(List<TaskRecord> records) {
            List<TaskRecord> rs = records.stream().sorted(Comparator.comparingLong(TaskRecord::submitNanos)).toList();
            int n = rs.size();
            long origin = n == 0 ? 0 : rs.get(0).submitNanos();
            Tasks t = new Tasks(new long[n], new long[n], new long[n], new int[n], new long[n], SubmitToStart.estimated(rs));
            for (int i = 0; i < n; i++) {
                TaskRecord r = rs.get(i);
                t.submitUs[i] = SubmitToStart.micros(r.submitNanos(), origin);
                t.startUs[i] = r.startNanos() < 0 ? -1 : SubmitToStart.micros(r.startNanos(), origin);
                t.endUs[i] = SubmitToStart.micros(r.endNanos(), origin);
                t.worker[i] = r.worker();
                t.cpuUs[i] = r.cpuNanos() < 0 ? -1 : r.cpuNanos() / 1000;
            }
            return t;
        }
    }

    /**
     * The resource time series: milliseconds since sampling began, cumulative tree CPU, tree RSS, the
     * part of it held by the root's child processes ({@code childRssKib}: a process pool's workers;
     * null in results written before it was recorded); {@code tickCounters} counts the counters cut
     * to whole clock ticks of {@code tickNanos} that each CPU reading sums, and {@code readUs} how
     * long each reading took (see {@link CoresBusy}: the bound of a window's error).
     */
    public record Series(long[] elapsedMs, long[] cpuMs, long[] rssKib, long[] childRssKib, int[] threads, int[] processes,
                         int[] tickCounters, long[] readUs, long tickNanos) {
        static Series of(List<ResourceSampler.Sample> samples) {
            int n = samples.size();
            Series s = new Series(new long[n], new long[n], new long[n], new long[n], new int[n], new int[n], new int[n], new long[n],
                    ResourceSampler.TICK_NANOS);
            for (int i = 0; i < n; i++) {
                ResourceSampler.Sample x = samples.get(i);
                s.elapsedMs[i] = x.elapsedNanos() / 1_000_000;
                s.cpuMs[i] = x.cpuNanos() / 1_000_000;
                s.rssKib[i] = x.rssBytes() / 1024;
                s.childRssKib[i] = x.descendantsRssBytes() / 1024;
                s.threads[i] = x.threads();
                s.processes[i] = x.processes();
                s.tickCounters[i] = x.tickCounters();
                s.readUs[i] = x.readNanos() / 1000;
            }
            return s;
        }

        /**
         * Cores busy over windows of at least {@code windowMs} on a machine of {@code cores} cores, each
         * with the bound of its error; the millisecond steps of the stored times count in it too.
         */
        public List<CoresBusy.Window> coresBusy(long windowMs, int cores) {
            int n = elapsedMs.length;
            long[] t = new long[n], cpu = new long[n], read = new long[n];
            for (int i = 0; i < n; i++) {
                t[i] = elapsedMs[i] * 1_000_000;
                cpu[i] = cpuMs[i] * 1_000_000;
                read[i] = readUs[i] * 1000 + 2_000_000; // times and CPU are kept in whole milliseconds: one each way
            }
            return CoresBusy.of(t, cpu, tickCounters, read, tickNanos, cores, windowMs * 1_000_000);
        }

        /** The window {@link CoresBusy#windowFor} picks for this series on {@code cores} cores, milliseconds. */
        public long windowMs(int cores) {
            long[] t = new long[elapsedMs.length];
            for (int i = 0; i < t.length; i++) t[i] = elapsedMs[i] * 1_000_000;
            return CoresBusy.windowFor(t, tickCounters, tickNanos, cores) / 1_000_000;
        }

        /**
         * The child processes' RSS per child at the sample where their summed RSS was highest, in
         * bytes: what one worker of a process pool held, its parent not counted; NaN where no sample
         * had a child (a model running in one process) or the series does not record it.
         */
        public double peakRssPerChildBytes() {
            if (childRssKib == null) return Double.NaN;
            int at = -1;
            for (int i = 0; i < childRssKib.length; i++)
                if (processes[i] > 1 && childRssKib[i] > 0 && (at < 0 || childRssKib[i] > childRssKib[at])) at = i;
            return at < 0 ? Double.NaN : childRssKib[at] * 1024.0 / (processes[at] - 1);
        }

        /** The bound of the rounding of the whole series' CPU, in CPU seconds. */
        public double cpuRoundingS() {
            int n = tickCounters.length;
            return n == 0 ? 0 : Math.max(tickCounters[0], tickCounters[n - 1]) * tickNanos / 1e9;
        }
    }

    /** A Java trial measured by the harness. */
    static CellTrial of(Trial t) {
        long startRss = t.series().isEmpty() ? t.peakRssBytes() : t.series().get(0).rssBytes();
        return new CellTrial(t.wallS(), t.cpuS(), t.peakRssBytes(), startRss, t.ok(), t.failed(), t.startupS(),
                t.peakThreads(), t.peakProcesses(), Tasks.of(t.records()), Series.of(t.series()), t.budget(),
                t.figures() == null ? Map.of() : t.figures());
    }

    /** CPU seconds per wall second: how many cores the run kept busy. */
    public double coresUsed() {
        return wallS > 0 ? cpuS / wallS : 0;
    }
}
