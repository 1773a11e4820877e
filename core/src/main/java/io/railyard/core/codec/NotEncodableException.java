package io.railyard.core.codec;

/**
 * A task, a result or an exception cannot cross the process boundary: a class in it is not
 * serializable, is not on the pool's allow-list, or it is larger than a frame may be. The message
 * names the class and the fix. Thrown as the cause of the {@link java.util.concurrent.RejectedExecutionException}
 * of a submit, or as the failure of the one task whose result could not be encoded.
 */
public class NotEncodableException extends RuntimeException {
    public NotEncodableException(String message, Throwable cause) {
        super(message, cause);
    }

    public NotEncodableException(String message) {
        super(message);
    }
}
