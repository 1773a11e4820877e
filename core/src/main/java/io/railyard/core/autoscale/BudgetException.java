package io.railyard.core.autoscale;

/**
 * A budget that cannot be kept or was mistyped: negative, larger than the container, an
 * unparseable size, or below what the process already uses. The message is one line naming the
 * input and the fix, so the CLI prints it as is (exit code 2).
 */
public final class BudgetException extends IllegalArgumentException {
    public BudgetException(String message) {
        super(message);
    }
}
