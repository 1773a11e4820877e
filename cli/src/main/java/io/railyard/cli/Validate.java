package io.railyard.cli;

/** Input checks that produce the one-line errors of {@link UserError}. */
final class Validate {
    private Validate() {}

    static void positive(String option, long value) {
        if (value < 1) throw new UserError(option + " must be a positive number, was " + value);
    }

    /** {@code value} within {@code min..max}; {@code what} (may be null) says what the bound is: "an hour". */
    static void range(String option, long value, long min, long max, String what) {
        if (value < min || value > max)
            throw new UserError(option + " must be " + min + ".." + max + (what == null ? "" : " (" + what + ")") + ", was " + value);
    }
}
