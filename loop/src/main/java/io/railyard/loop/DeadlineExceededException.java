package io.railyard.loop;

import java.net.SocketTimeoutException;

/**
 * A request that did not end within its deadline: the whole of it, from the call to the last byte
 * of the response (waiting for a connection, connecting, sending, a server that answers one byte at
 * a time), unlike a read timeout, which only bounds each silence. Its connection is closed. Thrown
 * by railyard's HTTP clients, the loop's ({@link LoopHttpClient}) and the blocking one. Immutable.
 */
public final class DeadlineExceededException extends SocketTimeoutException {
    public DeadlineExceededException(String message) {
        super(message);
    }
}
