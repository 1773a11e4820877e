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
    /** Body bytes counted and dropped, for a request that {@link LoopHttpRequest#withCountedBody counts} its body. */
    private long counted;
    /** Bytes of {@link #body} reserved from the client's buffer limit; given back when the exchange ends. */
    private long reserved;
    /**
     * Fails the exchange at its deadline, if its request has one; cancelled when the exchange ends
     * through {@link #complete}, {@link #completeExceptionally} or {@link #cancel} (a timer that
     * fires after any other ending finds the exchange done and does nothing).
     */
    volatile io.netty.util.concurrent.ScheduledFuture<?> deadline;
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
        long countLimit = request.countLimit();
        if (countLimit >= 0) {
            in.skipBytes(n);
            counted += n;
            if (counted > countLimit)
                throw new BodyLimitException("the response to " + request + " has a body over its limit of " + countLimit + " bytes");
            return;
        }
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
            int grown = (int) Math.min(cap, size);
            reserve(grown - body.length);
            body = Arrays.copyOf(body, grown);
        }
        in.readBytes(body, bodyLength, n);
        bodyLength += n;
    }

    /**
     * Takes {@code more} bytes from the client's buffer limit, so that the bodies of a run's responses
     * in flight together stay under it, whatever the concurrency; they are given back when the
     * exchange ends, however it ends.
     */
    private void reserve(long more) throws BodyLimitException {
        if (client == null) return; // parsed outside a client (the parser's own tests): nothing to bound
        if (!client.reserve(more))
            throw new BodyLimitException("the response to " + request + " needs " + more + " more bytes, and the client already holds "
                    + client.bufferedBytes() + " bytes of response bodies in flight, its limit (option http.maxBufferedBytes="
                    + client.maxBufferedBytes + ")");
        if (reserved == 0) whenComplete((r, e) -> client.release(reserved));
        reserved += more;
    }

    LoopHttpResponse response(ResponseParser head) {
        if (request.countLimit() >= 0)
            return new LoopHttpResponse(request, head.status, head.version, head.fields, EMPTY, (int) Math.min(Integer.MAX_VALUE, counted), false);
        byte[] b = bodyLength == body.length ? body : Arrays.copyOf(body, bodyLength);
        return new LoopHttpResponse(request, head.status, head.version, head.fields, b, truncated);
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = super.cancel(mayInterruptIfRunning);
        if (cancelled) {
            ended();
            client.abort(this);
        }
        return cancelled;
    }

    @Override
    public boolean complete(LoopHttpResponse response) {
        boolean won = super.complete(response);
        if (won) ended();
        return won;
    }

    @Override
    public boolean completeExceptionally(Throwable failure) {
        boolean won = super.completeExceptionally(failure);
        if (won) ended();
        return won;
    }

    /** The exchange ended: its deadline's timer goes (no callback registered per request for it). */
    private void ended() {
        io.netty.util.concurrent.ScheduledFuture<?> d = deadline;
        if (d != null) d.cancel(false);
    }

    @Override
    public String toString() {
        return request + " " + super.toString();
    }
}
