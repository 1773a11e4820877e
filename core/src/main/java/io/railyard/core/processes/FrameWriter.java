package io.railyard.core.processes;

import io.railyard.core.codec.ByteSink;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Writes {@link Frame}s to a channel, each encoded whole into a reused buffer, then written fully.
 *
 * <p>Thread-safe: writes are serialized, so a frame is never interleaved with another.
 */
final class FrameWriter {
    private final WritableByteChannel channel;
    private final int maxFrameBytes;
    private static final int INITIAL = 8 * 1024, KEEP = 1024 * 1024;
    private ByteSink sink = new ByteSink(INITIAL);

    FrameWriter(WritableByteChannel channel, int maxFrameBytes) {
        this.channel = channel;
        this.maxFrameBytes = maxFrameBytes;
    }

    /**
     * Writes one frame.
     *
     * @throws FrameException if it is larger than the limit (nothing was written)
     * @throws IOException    if the channel failed (the peer is gone)
     */
    synchronized void write(Frame frame) throws IOException {
        try {
            FrameCodec.encode(frame, sink, maxFrameBytes);
            ByteBuffer out = sink.flipped();
            while (out.hasRemaining()) channel.write(out);
        } finally {
            if (sink.capacity() > KEEP) sink = new ByteSink(INITIAL); // a huge frame is rare: don't hold its buffer
        }
    }
}
