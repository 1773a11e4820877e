package io.railyard.cli;

/** Input checks that produce the one-line errors of {@link UserError}. */
final class Validate {
    private Validate() {}

    static void positive(String option, long value) {
        if (value < 1) throw new UserError(option + " must be a positive number, was " + value);
    }
}
