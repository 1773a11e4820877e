package io.railyard.core.autoscale;

/**
 * Whether a budget can be kept at all by an {@link AutoscaledPool}: the pool's rule that one task
 * may always run keeps a run moving when the process tree alone nearly fills the budget, but when
 * not even one task fits it would crawl along one task at a time, stopping each for memory, for as
 * long as the work lasts. Judged on every sample; the run is given up, with the reason, when
 * <ul>
 *   <li>a task that ran alone was stopped for memory {@value #LONE_STOPS} times in a row (no task
 *       finished between): one task does not fit beside what the tree holds; or</li>
 *   <li>the tree stayed over the budget for {@value #OVER_AT_REST_SECONDS} s with at most one task
 *       running: the tree alone does not fit.</li>
 * </ul>
 * Touched by the pool's sampling tick only (one at a time); not thread-safe otherwise.
 */
final class BudgetFeasibility {
    static final int LONE_STOPS = 2;
    static final long OVER_AT_REST_SECONDS = 3;

    private final long budgetBytes;
    private int loneStops;
    private long completedAtLastStop = -1;
    private long overSince = -1;

    BudgetFeasibility(long budgetBytes) {
        this.budgetBytes = budgetBytes;
    }

    /**
     * One sample: the tree's RSS, the tasks in flight before this sample's stops, how many the
     * verdict stops, and the tasks completed so far. Returns why the budget cannot be kept, or null.
     */
    String observe(long nanos, long rssBytes, int inFlight, int stops, long completed) {
        if (stops > 0 && inFlight <= 1) {
            loneStops = completed == completedAtLastStop ? loneStops + 1 : 1;
            completedAtLastStop = completed;
            if (loneStops >= LONE_STOPS)
                return "not even one task fits in the memory budget of " + Budget.mib(budgetBytes) + ": a task running alone was stopped "
                        + loneStops + " times as the process tree grew to " + Budget.mib(rssBytes) + ": give a larger budget (--budget-memory)";
        }
        if (rssBytes > budgetBytes && inFlight <= 1) {
            if (overSince < 0) overSince = nanos;
            if (nanos - overSince >= OVER_AT_REST_SECONDS * 1_000_000_000L)
                return "the memory budget of " + Budget.mib(budgetBytes) + " cannot be kept: the process tree uses " + Budget.mib(rssBytes)
                        + " with at most one task running: give a larger budget (--budget-memory), or a smaller heap"
                        + " (RAILYARD_JAVA_OPTS=-Xmx...)";
        } else {
            overSince = -1;
        }
        return null;
    }
}
