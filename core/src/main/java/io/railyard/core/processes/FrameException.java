package io.railyard.core.processes;

import java.io.IOException;

/**
 * A frame is malformed: its declared size is out of bounds, its type is unknown, or its body does
 * not match its type. The stream it came from cannot be trusted any more: the worker is replaced.
 */
public class FrameException extends IOException {
    public FrameException(String message) {
        super(message);
    }
}
