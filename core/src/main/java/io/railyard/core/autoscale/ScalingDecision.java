package io.railyard.core.autoscale;

import java.util.Locale;

/**
 * One change of the desired concurrency, with why and what the signals read at that moment: the
 * autoscaler's log, kept whole for the report. Immutable.
 *
 * @param atS        seconds since the pool opened
 * @param from       desired concurrency before
 * @param to         desired concurrency after
 * @param reason     the signal that decided
 * @param detail     the numbers behind the reason, for a human ("cpu 1.62 cores > budget 1.50")
 * @param rssBytes   tree RSS at the decision
 * @param cpuCores   tree CPU use over the last decision period, in cores
 * @param lagMs      the loop's worst lag over the period, or -1 when no loop is measured
 * @param clientOverloadShare share of client answers that were 429/503 over the period (0 when none reported)
 * @param inFlight   tasks running at the decision
 * @param queued     tasks waiting for a slot at the decision
 * @param tasksPerS  tasks finished per second over the period
 */
public record ScalingDecision(double atS, int from, int to, Reason reason, String detail,
                              long rssBytes, double cpuCores, double lagMs, double clientOverloadShare,
                              int inFlight, int queued, double tasksPerS) {

    /** Why the desired concurrency changed. */
    public enum Reason {
        /** Every signal under its threshold and the pool saturated: more concurrency. */
        SCALE_UP,
        /** The last step up bought (almost) no throughput: back to the smaller concurrency. */
        NO_GAIN,
        /** Memory would cross the budget (minus its margin) at this concurrency. */
        MEMORY,
        /** A running task was stopped because memory was still growing past the margin. */
        MEMORY_STOP,
        /** CPU use over the budget. */
        CPU,
        /** The event loop lagged more than its threshold. */
        LOOP_LAG,
        /** Too many answers said "overloaded" (HTTP 429/503). */
        CLIENT
    }

    /** Whether this decision lowered the concurrency. */
    public boolean down() {
        return to < from;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%7.2fs %3d -> %3d %-11s %s (rss %.0f MiB, cpu %.2f, %.0f tasks/s, %d in flight, %d queued)",
                atS, from, to, reason, detail, rssBytes / 1048576.0, cpuCores, tasksPerS, inFlight, queued);
    }
}
