package io.railyard.cli;

import java.util.function.Supplier;

/**
 * A mistake in the user's input: reported as one line on stderr with exit code 2, no stack trace.
 * The only exception {@link Main} treats as the user's (besides picocli's parameter errors); any
 * other is a bug. Immutable.
 */
public final class UserError extends RuntimeException {
    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * Runs {@code check}, which hands user input to a library that rejects bad values with an
     * {@link IllegalArgumentException} naming the input and the fix, and makes that rejection a
     * UserError. Use it where the input is passed, around that call only.
     */
    static <T> T whenRejected(Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
    }

    /** {@link #whenRejected(Supplier)} for a check that returns nothing. */
    static void whenRejected(Runnable check) {
        whenRejected(() -> {
            check.run();
            return null;
        });
    }
}
