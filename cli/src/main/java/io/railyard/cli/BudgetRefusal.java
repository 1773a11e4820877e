package io.railyard.cli;

import io.railyard.core.autoscale.Budget;
import io.railyard.core.probe.ProcessTreeProbe;

/**
 * Refuses, before any work, a budget the process tree already exceeds, for runs at a fixed
 * concurrency as for autoscaled ones (whose pool refuses it when it opens): such a budget cannot be
 * kept by any concurrency. Stateless.
 */
final class BudgetRefusal {
    private BudgetRefusal() {}

    /** @throws UserError naming the budget, what the tree uses, and the fix */
    static void refuseIfAlreadyExceeded(Budget budget) {
        long rss = ProcessTreeProbe.reading(ProcessTreeProbe.descendants()).rssBytes();
        if (rss > budget.maxMemoryBytes())
            throw new UserError(String.format(java.util.Locale.ROOT,
                    "the memory budget of %.0f MiB is already exceeded: this process tree uses %.0f MiB before any work:"
                            + " give a larger budget (--budget-memory), or a smaller heap (RAILYARD_JAVA_OPTS=-Xmx...)",
                    budget.maxMemoryBytes() / 1048576.0, rss / 1048576.0));
    }
}
