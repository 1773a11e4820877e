package io.railyard.loop;

import java.io.IOException;

/**
 * A response body longer than its request allows, or more response bytes buffered at once than
 * the client allows: the request fails, its connection is closed, and nothing more of the body is
 * read. Thrown by railyard's HTTP clients, the loop's ({@link LoopHttpClient}) and the blocking one
 * the other models use. Immutable.
 */
public final class BodyLimitException extends IOException {
    public BodyLimitException(String message) {
        super(message);
    }
}
