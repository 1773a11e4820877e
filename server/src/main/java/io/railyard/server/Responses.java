package io.railyard.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpResponseStatus;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Whole HTTP/1.1 responses (status line, headers, body) as bytes ready for the socket. The
 * server writes these straight to the channel, with no HTTP encoder in the pipeline: a benchmark's
 * hot answer (200 with a 1 KiB body) is encoded once and every request gets a duplicate of the same
 * direct buffer, so serving it costs a write and nothing else.
 *
 * <p>Filler bodies are the bytes of {@link #FILLER_LINE} repeated. Buffers handed out are
 * unreleasable views of shared memory that the garbage collector reclaims; callers may write them
 * and need not release them. Thread-safe.
 */
final class Responses {

    /** 64 bytes, so that a 64 KiB block repeated continues the pattern seamlessly. */
    static final String FILLER_LINE = "railyard latency server: filler bytes for the benchmark body...\n";
    private static final int FILLER_BLOCK = 64 * 1024;
    private static final int MAX_CACHED_BODY = 64 * 1024;
    private static final int MAX_CACHED = 4096;

    /** 64 KiB of filler; larger bodies are this block repeated. */
    private static final ByteBuf FILLER = direct(filler(FILLER_BLOCK));
    private static final ConcurrentHashMap<Long, ByteBuf> CACHE = new ConcurrentHashMap<>();

    static {
        if (FILLER_BLOCK % FILLER_LINE.length() != 0) throw new AssertionError("filler line must divide the block");
    }

    private Responses() {}

    /** A 200 {@code text/plain} response with {@code size} bytes of filler (cached up to 64 KiB). */
    static ByteBuf filler(int size, boolean keepAlive, boolean head) {
        if (size <= MAX_CACHED_BODY && !head) {
            long key = ((long) size << 1) | (keepAlive ? 1 : 0);
            ByteBuf cached = CACHE.get(key);
            if (cached == null && CACHE.size() < MAX_CACHED) {
                cached = CACHE.computeIfAbsent(key, k -> direct(concat(header(200, "text/plain", size, keepAlive, ""), filler(size))));
            }
            if (cached != null) return cached.duplicate();
        }
        ByteBuf header = Unpooled.wrappedBuffer(header(200, "text/plain", size, keepAlive, ""));
        if (head || size == 0) return header;
        int blocks = size / FILLER_BLOCK;
        ByteBuf[] parts = new ByteBuf[blocks + 2];
        parts[0] = header;
        for (int i = 1; i <= blocks; i++) parts[i] = FILLER.duplicate();
        parts[blocks + 1] = FILLER.slice(0, size % FILLER_BLOCK);
        return Unpooled.wrappedBuffer(parts.length, parts);
    }

    /** A response with the given body; {@code extraHeaders} are whole lines, each ending in CRLF. */
    static ByteBuf of(int status, String contentType, byte[] body, boolean keepAlive, boolean head, String extraHeaders) {
        boolean bodiless = status == 204 || status == 304;
        int length = bodiless ? -1 : body.length;
        byte[] header = header(status, contentType, length, keepAlive, extraHeaders);
        return head || bodiless ? Unpooled.wrappedBuffer(header) : Unpooled.wrappedBuffer(header, body);
    }

    static ByteBuf text(int status, String text, boolean keepAlive, boolean head) {
        return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), keepAlive, head, "");
    }

    /** A response's head; {@code contentLength} -1 leaves the header out (204, 304). */
    static byte[] header(int status, String contentType, int contentLength, boolean keepAlive, String extraHeaders) {
        StringBuilder sb = new StringBuilder(128);
        sb.append("HTTP/1.1 ").append(status).append(' ').append(HttpResponseStatus.valueOf(status).reasonPhrase()).append("\r\n");
        sb.append("Server: railyard\r\n");
        if (contentLength >= 0) {
            sb.append("Content-Type: ").append(contentType).append("\r\n");
            sb.append("Content-Length: ").append(contentLength).append("\r\n");
        }
        sb.append(keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n");
        sb.append(extraHeaders).append("\r\n");
        return sb.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] filler(int size) {
        byte[] line = FILLER_LINE.getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[size];
        for (int i = 0; i < size; i++) body[i] = line[i % line.length];
        return body;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Bytes in JDK-managed direct memory (freed by the GC), never released by Netty. */
    private static ByteBuf direct(byte[] bytes) {
        ByteBuffer nio = ByteBuffer.allocateDirect(bytes.length);
        nio.put(bytes).flip();
        return Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(nio));
    }
}
