package io.railyard.core.processes;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;

/**
 * Reads length-prefixed {@link Frame}s from a channel. The declared length is checked against the
 * limit before anything else, and the buffer grows only as bytes really arrive (doubling), so a
 * peer that declares a huge frame and sends little costs at most twice what it sent.
 *
 * <p>Not thread-safe: one thread reads (the worker slot's thread in the parent, the reader thread in
 * a worker).
 */
final class FrameReader {
    static final int INITIAL_CAPACITY = 64 * 1024;

    private final ReadableByteChannel channel;
    private final int maxFrameBytes;
    /** Unread bytes are between position and limit ("read mode" between calls). */
    private ByteBuffer buf;

    FrameReader(ReadableByteChannel channel, int maxFrameBytes) {
        this(channel, maxFrameBytes, INITIAL_CAPACITY);
    }

    FrameReader(ReadableByteChannel channel, int maxFrameBytes, int initialCapacity) {
        this.channel = channel;
        this.maxFrameBytes = maxFrameBytes;
        this.buf = ByteBuffer.allocate(Math.min(initialCapacity, FrameCodec.HEADER + maxFrameBytes)).flip();
    }

    /** The buffer's size now: bounded by twice the bytes received, or the initial capacity. */
    int capacity() {
        return buf.capacity();
    }

    /**
     * The next frame, or {@code null} at a clean end of stream (between frames).
     *
     * @throws FrameException if the frame is malformed or larger than the limit
     * @throws EOFException   if the stream ends inside a frame
     */
    Frame read() throws IOException {
        if (!fill(FrameCodec.HEADER)) {
            if (buf.hasRemaining()) throw new EOFException("stream ended inside a frame's length prefix");
            return null;
        }
        int length = buf.getInt(buf.position());
        if (length < 1 || length > maxFrameBytes)
            throw new FrameException("declared frame length " + length + " is outside 1.." + maxFrameBytes
                    + " (pool option maxFrameBytes); the stream is corrupt or the frame too large");
        if (!fill(FrameCodec.HEADER + length))
            throw new EOFException("stream ended inside a frame: " + length + " bytes declared, "
                    + (buf.remaining() - FrameCodec.HEADER) + " received");
        int start = buf.position() + FrameCodec.HEADER;
        ByteBuffer body = buf.slice(start, length);
        buf.position(start + length);
        return FrameCodec.decode(body);
    }

    /** Reads until {@code n} bytes are buffered; false if the stream ended first. */
    private boolean fill(int n) throws IOException {
        while (buf.remaining() < n) {
            if (buf.position() > 0) buf.compact().flip(); // move unread bytes to the front
            if (buf.limit() == buf.capacity()) {
                // full of real bytes and still short: grow, but never beyond what this frame needs
                int bigger = (int) Math.min((long) buf.capacity() * 2, n);
                ByteBuffer grown = ByteBuffer.allocate(bigger);
                grown.put(buf).flip();
                buf = grown;
            }
            int end = buf.limit();
            buf.position(end).limit(buf.capacity());
            int read = channel.read(buf);
            buf.limit(buf.position()).position(0);
            if (read < 0) return false;
        }
        return true;
    }
}
