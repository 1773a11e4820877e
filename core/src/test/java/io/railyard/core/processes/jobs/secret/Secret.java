package io.railyard.core.processes.jobs.secret;

import java.io.Serializable;

/**
 * Serializable classes the tests deliberately leave off the allow-list: they live in a sub-package,
 * which the tests' pattern {@code io.railyard.core.processes.jobs.*} does not cover.
 */
public final class Secret {
    private Secret() {}

    public record Value(String text) implements Serializable {}

    public static final class SecretException extends RuntimeException {
        public SecretException(String message) {
            super(message);
        }
    }
}
