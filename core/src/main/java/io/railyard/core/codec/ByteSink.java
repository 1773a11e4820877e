package io.railyard.core.codec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** A growable big-endian buffer to encode frames and payloads into; reused by its owner, one message at a time. Not thread-safe: one owner. */
public final class ByteSink {
    private ByteBuffer buf;

    public ByteSink(int initialCapacity) {
        buf = ByteBuffer.allocate(initialCapacity);
    }

    /** The encoded frame, from position 0 to the limit. */
    public ByteBuffer flipped() {
        return buf.flip();
    }

    public void clear() {
        buf.clear();
    }

    public int size() {
        return buf.position();
    }

    public int capacity() {
        return buf.capacity();
    }

    private ByteBuffer room(int n) {
        if (buf.remaining() < n) {
            long want = Math.max((long) buf.capacity() * 2, (long) buf.position() + n);
            ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 8, want));
            bigger.put(buf.flip());
            buf = bigger;
        }
        return buf;
    }

    public void putByte(int b) {
        room(1).put((byte) b);
    }

    public void putInt(int v) {
        room(4).putInt(v);
    }

    public void putLong(long v) {
        room(8).putLong(v);
    }

    public void putBytes(byte[] b) {
        room(4 + b.length).putInt(b.length).put(b);
    }

    public void putString(String s) {
        if (s == null) {
            putInt(-1);
            return;
        }
        putBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    public void setInt(int index, int v) {
        buf.putInt(index, v);
    }
}
