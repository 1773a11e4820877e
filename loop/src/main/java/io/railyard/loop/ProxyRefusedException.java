package io.railyard.loop;

import java.net.ConnectException;

/**
 * A proxy answered a {@code CONNECT} with something other than 2xx (407: it wants credentials; 403:
 * it does not allow the target; 502: it could not reach it), so the tunnel was never opened.
 */
public final class ProxyRefusedException extends ConnectException {

    private final int status;

    public ProxyRefusedException(String message, int status) {
        super(message);
        this.status = status;
    }

    /** The proxy's HTTP status. */
    public int status() {
        return status;
    }
}
