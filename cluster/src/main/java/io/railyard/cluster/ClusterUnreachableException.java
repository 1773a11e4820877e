package io.railyard.cluster;

/**
 * A client pool could not reach the cluster it was given: nobody answered at its addresses within
 * the connect timeout, or what answered is a cluster without railyard members. The message is one
 * line naming the addresses, the cluster's name and the fix. It is the address the user gave that
 * is wrong (or its members are not started), so the command line reports it as bad input.
 * Immutable.
 */
public final class ClusterUnreachableException extends IllegalArgumentException {
    public ClusterUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
