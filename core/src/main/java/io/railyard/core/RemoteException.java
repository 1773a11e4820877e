package io.railyard.core;

/**
 * An exception raised in another process (a worker JVM, a cluster member), carried back with its
 * class name, message and stack trace when the original class could not or should not be
 * instantiated in this JVM. {@link #getStackTrace()} is the remote stack.
 */
public class RemoteException extends RuntimeException {
    private final String remoteClassName;

    public RemoteException(String remoteClassName, String message, StackTraceElement[] remoteStack, Throwable cause) {
        super(remoteClassName + (message == null ? "" : ": " + message), cause);
        this.remoteClassName = remoteClassName;
        setStackTrace(remoteStack);
    }

    /** The class name of the exception as thrown in the remote process. */
    public String remoteClassName() {
        return remoteClassName;
    }
}
