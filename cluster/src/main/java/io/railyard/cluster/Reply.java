package io.railyard.cluster;

/**
 * A member's answer to one {@link RemoteTask}, returned as the value of the Hazelcast call (never
 * thrown, so the task's exception travels under railyard's codec rules, not Hazelcast's).
 * Immutable records; the byte arrays are never modified after a reply is built. See {@link Wire}.
 * {@code mac} authenticates the answer under the cluster's secret ({@link MessageAuth}); empty
 * in a cluster without one.
 */
sealed interface Reply {

    /** CPU time of the member's thread for the task, in nanoseconds. */
    long cpuNanos();

    /**
     * The member's {@link System#nanoTime()} when the task's code began (after decoding it), where
     * submit-to-start ends; -1 when it never began.
     */
    long startNanos();

    /** From {@link #startNanos()} to the end of the task's code, on the member's clock; 0 when it never began. */
    long runNanos();

    /** The answer's authentication code; empty without a secret. */
    byte[] mac();

    /** The same answer with its authentication code. */
    Reply withMac(byte[] mac);

    /** The task returned; {@code value} is the encoded result. */
    record Done(long startNanos, long runNanos, long cpuNanos, byte[] value, byte[] mac) implements Reply {
        Done(long startNanos, long runNanos, long cpuNanos, byte[] value) {
            this(startNanos, runNanos, cpuNanos, value, new byte[0]);
        }

        @Override
        public Reply withMac(byte[] mac) {
            return new Done(startNanos, runNanos, cpuNanos, value, mac);
        }
    }

    /**
     * The task threw, or could not be decoded, or its result could not be encoded. {@code exception}
     * is the encoded exception, empty when it could not be encoded; {@code copy} is always a
     * {@link io.railyard.core.RemoteException} chain describing it (class names, messages, stacks),
     * which every allow-list admits, for when the original cannot be decoded by the pool.
     */
    record Failed(long startNanos, long runNanos, long cpuNanos, byte[] exception, byte[] copy, byte[] mac) implements Reply {
        Failed(long startNanos, long runNanos, long cpuNanos, byte[] exception, byte[] copy) {
            this(startNanos, runNanos, cpuNanos, exception, copy, new byte[0]);
        }

        @Override
        public Reply withMac(byte[] mac) {
            return new Failed(startNanos, runNanos, cpuNanos, exception, copy, mac);
        }
    }
}
