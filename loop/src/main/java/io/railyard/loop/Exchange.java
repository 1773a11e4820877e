package io.railyard.loop;

import io.netty.buffer.ByteBuf;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * One request, its body being received, and the future its caller holds: one object per request.
 * Cancelling it abandons the request (its connection is closed: a half-read response cannot be
 * reused).
 *
 * <p>Loop-confined, except {@link #cancel}, which may come from any thread.
 */
final class Exchange extends CompletableFuture<LoopHttpResponse> {

    private static final byte[] EMPTY = new byte[0];

    final LoopHttpClient client;
    final LoopHttpRequest request;
    /** The connection carrying it, once sent. */
    HttpConnection connection;
    int retries;

    private byte[] body = EMPTY;
    private int bodyLength;
    /** The body reached the request's truncating limit; the connection must be closed. */
    boolean truncated;

    /** Thrown out of the parser when the body reaches the request's limit; no stack trace (not an error). */
    static final class BodyLimitReached extends IOException {
        BodyLimitReached() {
            super("body limit reached", null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    Exchange(LoopHttpClient client, LoopHttpRequest request) {
        this.client = client;
        this.request = request;
    }

    /** Body bytes arrived: takes {@code n} bytes from {@code in}. */
    void append(ByteBuf in, int n) throws IOException {
        if (n == 0) return;
        int limit = request.truncateAt();
        if (limit >= 0 && (long) bodyLength + n > limit) {
            int keep = limit - bodyLength;
            if (keep > 0) append(in, keep);
            in.skipBytes(n - keep);
            truncated = true;
            throw new BodyLimitReached();
        }
        long needed = (long) bodyLength + n;
        if (needed > LoopHttpClient.MAX_BODY_BYTES)
            throw new IOException("the response to " + request + " has a body over the client's limit of "
                    + LoopHttpClient.MAX_BODY_BYTES + " bytes");
        if (needed > body.length) {
            long announced = connection == null ? -1 : connection.announcedLength();
            long size = announced >= needed ? bodyLength + announced : Math.max(needed, Math.max(8192, 2L * body.length));
            long cap = limit >= 0 ? limit : LoopHttpClient.MAX_BODY_BYTES;
            body = Arrays.copyOf(body, (int) Math.min(cap, size));
        }
        in.readBytes(body, bodyLength, n);
        bodyLength += n;
    }

    LoopHttpResponse response(ResponseParser head) {
        byte[] b = bodyLength == body.length ? body : Arrays.copyOf(body, bodyLength);
        return new LoopHttpResponse(request, head.status, head.version, head.headers, b, truncated);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) client.abort(this);
        return cancelled;
    }

    @Override
    public String toString() {
        return request + " " + super.toString();
    }
}
