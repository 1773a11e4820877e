package io.railyard.loop;

import io.netty.buffer.ByteBuf;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;

import java.io.IOException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * One request and its response being assembled, and the future its caller holds: one object per
 * request. Cancelling it abandons the request (its connection is closed: a half-read response
 * cannot be reused).
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

    // the response, as it arrives
    boolean responseStarted;
    int status;
    String version;
    HttpHeaders headers;
    boolean keepAlive;
    boolean closeDelimited;
    private byte[] body = EMPTY;
    private int bodyLength;

    Exchange(LoopHttpClient client, LoopHttpRequest request) {
        this.client = client;
        this.request = request;
    }

    /** The status line and headers arrived. */
    void begin(HttpResponse r) throws IOException {
        responseStarted = true;
        status = r.status().code();
        version = r.protocolVersion().text();
        headers = r.headers();
        keepAlive = HttpUtil.isKeepAlive(r);
        boolean noBody = request.isHead() || status < 200 || status == 204 || status == 304;
        boolean hasLength = HttpUtil.isContentLengthSet(r);
        closeDelimited = !noBody && !hasLength && !HttpUtil.isTransferEncodingChunked(r);
        bodyLength = 0;
        body = EMPTY;
        if (!noBody && hasLength) {
            long length = HttpUtil.getContentLength(r, -1L);
            if (length > LoopHttpClient.MAX_BODY_BYTES) throw tooBig(length);
            if (length > 0) body = new byte[(int) length];
        }
    }

    /** A piece of the body arrived. */
    void append(ByteBuf content) throws IOException {
        int n = content.readableBytes();
        if (n == 0) return;
        long needed = (long) bodyLength + n;
        if (needed > LoopHttpClient.MAX_BODY_BYTES) throw tooBig(needed);
        if (needed > body.length) body = Arrays.copyOf(body, (int) Math.max(needed, Math.min(LoopHttpClient.MAX_BODY_BYTES, Math.max(8192, 2L * body.length))));
        content.readBytes(body, bodyLength, n);
        bodyLength += n;
    }

    LoopHttpResponse response() {
        byte[] b = bodyLength == body.length ? body : Arrays.copyOf(body, bodyLength);
        return new LoopHttpResponse(request, status, version, headers, b);
    }

    private IOException tooBig(long length) {
        return new IOException("the response to " + request + " has a body of " + length + " bytes, over the client's limit of "
                + LoopHttpClient.MAX_BODY_BYTES + " bytes");
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
