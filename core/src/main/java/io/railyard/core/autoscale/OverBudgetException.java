package io.railyard.core.autoscale;

/**
 * Why a task's future failed when the {@link AutoscaledPool} stopped it to keep memory under the
 * budget: memory was still growing past the margin with nothing else left to give back. The
 * message names the readings; the task itself may be resubmitted once memory allows.
 */
public final class OverBudgetException extends RuntimeException {
    public OverBudgetException(String message) {
        super(message);
    }
}
