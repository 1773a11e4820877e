package io.railyard.bench.harness;

import io.railyard.core.trace.Percentiles;
import io.railyard.core.trace.TaskRecord;

import java.util.Arrays;
import java.util.List;

/**
 * Submit-to-start, the per-task overhead figure, computed one way for {@code run --json}, compare's
 * table and its report: from the caller's submit to the moment the task's code began where it ran
 * (see {@link TaskRecord} for who stamps it), in whole microseconds as {@code results.json} stores
 * the times (each rebased on the trial's first submit and cut to microseconds), percentiles by
 * nearest rank ({@link Percentiles}). Tasks that never started are left out.
 *
 * <p>Stateless and thread-safe.
 */
public final class SubmitToStart {
    private SubmitToStart() {}

    /** What the figure means, word for word in the terminal, the report and the JSON. */
    public static final String DEFINITION = "from the caller's submit to the moment the task's code begins where it runs:"
            + " stamped by the thread that runs it, by the worker process itself (processes, CPython's multiprocessing),"
            + " by the member (cluster), all on this machine's one monotonic clock (a worker's is checked by a round trip"
            + " at its start-up); a member on another machine counts the round trip minus the run time, marked as such";

    /** The {@code p}-th percentile, microseconds, of the tasks given as columns of microseconds since the first submit; NaN if none started. */
    public static double percentileUs(long[] submitUs, long[] startUs, double p) {
        return percentilesUs(submitUs, startUs, p)[0];
    }

    /** Several percentiles of the same tasks at once, in the order asked: one sort for all of them. */
    public static double[] percentilesUs(long[] submitUs, long[] startUs, double... ps) {
        long[] q = new long[submitUs.length];
        int n = 0;
        for (int i = 0; i < submitUs.length; i++) if (startUs[i] >= 0) q[n++] = startUs[i] - submitUs[i];
        Arrays.sort(q, 0, n);
        double[] out = new double[ps.length];
        for (int i = 0; i < ps.length; i++) out[i] = n == 0 ? Double.NaN : q[Percentiles.rank(n, ps[i])];
        return out;
    }

    /** The same figures from a trial's trace records, through the columns results.json stores. */
    public static double[] percentilesUs(List<TaskRecord> records, double... ps) {
        // one read of each record (a trace snapshot makes it as it is read), then the columns in place
        int n = records.size();
        long origin = Long.MAX_VALUE;
        long[] submit = new long[n], start = new long[n];
        for (int i = 0; i < n; i++) {
            TaskRecord r = records.get(i);
            submit[i] = r.submitNanos();
            start[i] = r.startNanos();
            origin = Math.min(origin, submit[i]);
        }
        for (int i = 0; i < n; i++) {
            submit[i] = micros(submit[i], origin);
            start[i] = start[i] < 0 ? -1 : micros(start[i], origin);
        }
        return percentilesUs(submit, start, ps);
    }

    /** A time as results.json stores it: whole microseconds since {@code origin}. */
    public static long micros(long nanos, long origin) {
        return Math.floorDiv(nanos - origin, 1000);
    }

    /** Starts worked out from a round trip rather than stamped where the task ran (a member on another machine). */
    public static int estimated(List<TaskRecord> records) {
        return (int) records.stream().filter(r -> r.startNanos() >= 0 && r.startEstimated()).count();
    }
}
