package io.railyard.loop;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.buffer.ByteBuf;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/1.1 connection of a {@link HostPool}: the last handler of its channel's pipeline
 * ({@code [TLS] -> this}), parsing responses with its {@link ResponseParser}, and the listener of
 * its connect.
 *
 * <pre>
 *   CONNECTING --connected (+CONNECT tunnel, +TLS handshake)--> BUSY --complete, keep-alive--> IDLE
 *        |                                      ^ |                                     |
 *        +--failed--> (exchange fails)          | +--not reusable / error--> CLOSED      |
 *                                               +------------send(next)------------------+
 * </pre>
 *
 * One exchange at a time (no pipelining). The read timeout is one timer per busy period: it fires
 * after the timeout, and re-arms for the remainder if bytes arrived meanwhile, so a response costs
 * no timer operations at all.
 *
 * <p>Loop-confined: Netty calls the handler methods on the loop, and the pool calls the rest there.
 */
final class HttpConnection extends InboundHandler implements ChannelFutureListener {

    enum State { CONNECTING, BUSY, IDLE, CLOSED }

    private final HostPool pool;
    private final Loop loop;
    private final SslContext ssl;
    private Channel channel;
    private State state = State.CONNECTING;
    /** Counted in the pool's live connections (connected, TLS done); until then a failure is a connect failure. */
    private boolean live;
    /** The exchange on the wire; null when idle. */
    private Exchange exchange;
    /** Sent while connecting; goes out once connected. */
    private Exchange first;
    private int requests;
    private long lastActivity;
    private ScheduledFuture<?> readTimer;
    private final ResponseParser parser = new ResponseParser();

    HttpConnection(HostPool pool, Exchange first, SslContext ssl) {
        this.pool = pool;
        this.loop = pool.loop;
        this.first = first;
        this.ssl = ssl;
    }

    // ---------------------------------------------------------------- connecting

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ssl != null && !pool.tunnel()) ctx.pipeline().addBefore(ctx.name(), "tls", tlsHandler(ctx.alloc()));
    }

    /** TLS with the target (its name for SNI and the certificate check), even through a tunnel. */
    private SslHandler tlsHandler(io.netty.buffer.ByteBufAllocator alloc) {
        SslHandler tls = ssl.newHandler(alloc, pool.host, pool.port, loop.helpers());
        tls.setHandshakeTimeoutMillis(pool.client.connectTimeoutMillis);
        return tls;
    }

    /** The connect finished. */
    @Override
    public void operationComplete(ChannelFuture f) {
        if (!f.isSuccess()) {
            state = State.CLOSED;
            Throwable cause = f.cause();
            ConnectException e = new ConnectException("cannot connect to " + pool.origin + " for " + first.request + ": "
                    + (cause == null ? "cancelled" : cause.getMessage()));
            if (cause != null) e.initCause(cause);
            Exchange ex = first;
            first = null;
            pool.connectFailed(ex, e);
            return;
        }
        channel = f.channel();
        if (pool.tunnel()) {
            startTunnel();
            return;
        }
        if (ssl == null) {
            ready();
            return;
        }
        awaitHandshake();
    }

    private void awaitHandshake() {
        channel.pipeline().get(SslHandler.class).handshakeFuture().addListener(h -> {
            if (h.isSuccess()) {
                ready();
            } else if (first != null) { // else channelInactive came first and reported it
                Exchange ex = first;
                first = null;
                state = State.CLOSED;
                ConnectException e = new ConnectException("TLS handshake with " + pool.origin + " failed: " + h.cause().getMessage());
                e.initCause(h.cause());
                pool.connectFailed(ex, e);
                channel.close();
            }
        });
    }

    private void ready() {
        if (state == State.CLOSED) return; // closed while handshaking; channelInactive handled it
        live = true;
        pool.opened(this);
        Exchange ex = first;
        first = null;
        if (ex.isDone()) { // cancelled while we connected: the connection is still good
            state = State.BUSY;
            released();
        } else {
            send(ex);
        }
    }

    // ---------------------------------------------------------------- a tunnel through a proxy

    /** The proxy's answer to CONNECT, while it is awaited (else null). */
    private StringBuilder tunnelHead;

    /** Asks the proxy for a tunnel to the target (RFC 9110 9.3.6); TLS starts once it says 2xx. */
    private void startTunnel() {
        tunnelHead = new StringBuilder(256);
        String authority = (pool.host.indexOf(':') >= 0 ? "[" + pool.host + "]" : pool.host) + ":" + pool.port;
        StringBuilder req = new StringBuilder(128).append("CONNECT ").append(authority).append(" HTTP/1.1\r\nHost: ").append(authority).append("\r\n");
        if (pool.proxy.authorization() != null) req.append("Proxy-Authorization: ").append(pool.proxy.authorization()).append("\r\n");
        req.append("\r\n");
        channel.writeAndFlush(io.netty.buffer.Unpooled.copiedBuffer(req, java.nio.charset.StandardCharsets.ISO_8859_1), channel.voidPromise());
        loop.eventLoop.schedule(() -> {
            if (tunnelHead != null && first != null) tunnelFailed(new ConnectException("the proxy " + pool.proxy + " did not answer CONNECT "
                    + authority + " within " + pool.client.connectTimeoutMillis + " ms (connect timeout)"));
        }, pool.client.connectTimeoutMillis, TimeUnit.MILLISECONDS);
    }

    /** Bytes of the proxy's answer to CONNECT. */
    private void tunnelRead(ByteBuf in) {
        while (in.isReadable()) {
            tunnelHead.append((char) (in.readByte() & 0xff));
            int n = tunnelHead.length();
            if (n >= 4 && tunnelHead.charAt(n - 1) == '\n' && tunnelHead.charAt(n - 2) == '\r' && tunnelHead.charAt(n - 3) == '\n'
                    && tunnelHead.charAt(n - 4) == '\r') break;
            if (n > ResponseParser.MAX_HEAD) {
                tunnelFailed(new ConnectException("the proxy " + pool.proxy + " answered CONNECT with a head over " + ResponseParser.MAX_HEAD + " bytes"));
                return;
            }
        }
        String head = tunnelHead.toString();
        if (!head.endsWith("\r\n\r\n")) return; // more to come
        String statusLine = head.substring(0, head.indexOf("\r\n"));
        String[] parts = statusLine.split(" ", 3);
        int status = -1;
        try {
            if (parts.length >= 2 && parts[0].startsWith("HTTP/")) status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            // reported below
        }
        if (status < 200 || status >= 300 || in.isReadable()) {
            tunnelFailed(new ProxyRefusedException("the proxy " + pool.proxy + " answered CONNECT " + pool.host + ":" + pool.port
                    + " with '" + statusLine + "'" + (status == 407 ? ": give its credentials in the proxy URL (http://user:password@host:port)" : ""),
                    Math.max(status, 0)));
            return;
        }
        tunnelHead = null;
        channel.pipeline().addFirst("tls", tlsHandler(channel.alloc())); // starts the handshake: the channel is active
        awaitHandshake();
    }

    private void tunnelFailed(ConnectException e) {
        tunnelHead = null;
        Exchange ex = first;
        first = null;
        state = State.CLOSED;
        if (ex != null) pool.connectFailed(ex, e);
        channel.close();
    }

    // ---------------------------------------------------------------- exchanges

    void send(Exchange ex) {
        assert loop.inLoop();
        state = State.BUSY;
        exchange = ex;
        ex.connection = this;
        parser.begin(ex.request.isHead(), ex.request.truncateAt() >= 0 || ex.request.countLimit() >= 0);
        requests++;
        lastActivity = System.nanoTime();
        if (readTimer == null) readTimer = loop.eventLoop.schedule(this::checkReadTimeout, pool.client.readTimeoutNanos, TimeUnit.NANOSECONDS);
        pool.client.requestSent();
        channel.writeAndFlush(ex.request.encoded(), channel.voidPromise()); // a failed write reaches exceptionCaught
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastActivity = System.nanoTime();
        ByteBuf in = (ByteBuf) msg;
        if (tunnelHead != null) {
            try {
                tunnelRead(in);
            } finally {
                in.release();
            }
            return;
        }
        Exchange ex = exchange;
        try {
            if (ex == null) { // bytes nobody asked for: the connection is out of step
                close();
                return;
            }
            if (parser.feed(in, ex)) finished(ex, !in.isReadable());
        } catch (IOException e) {
            exchange = null;
            close();
            if (ex.truncated) loop.complete(ex, ex.response(parser)); // cut at the request's limit: not a failure
            else if (e instanceof BodyLimitException) loop.fail(ex, e); // it names the request
            else loop.fail(ex, new IOException(e.getMessage() + " (from " + pool.origin + " to " + ex.request + ")", e));
        } finally {
            in.release();
        }
    }

    /** The size of the body being received, if the response announced it, else -1. */
    long announcedLength() {
        return parser.announcedLength();
    }

    /** The response is complete; {@code inStep} is false if more bytes followed it (the connection is then useless). */
    private void finished(Exchange ex, boolean inStep) {
        exchange = null;
        ex.connection = null;
        boolean reusable = inStep && parser.keepAlive && !parser.closeDelimited && parser.status != 101 && channel.isActive();
        if (reusable) released();
        else close();
        loop.complete(ex, ex.response(parser));
    }

    /** Back to the pool for the next request. */
    private void released() {
        state = State.IDLE;
        pool.release(this);
    }

    /** A cancelled exchange: a half-read response makes the connection useless. */
    void abandon(Exchange ex) {
        if (exchange != ex) return;
        exchange = null;
        close();
    }

    private void checkReadTimeout() {
        readTimer = null;
        if (exchange == null || state == State.CLOSED) return;
        long silent = System.nanoTime() - lastActivity;
        long limit = pool.client.readTimeoutNanos;
        if (silent < limit) {
            readTimer = loop.eventLoop.schedule(this::checkReadTimeout, limit - silent, TimeUnit.NANOSECONDS);
            return;
        }
        Exchange ex = exchange;
        exchange = null;
        close();
        loop.fail(ex, new SocketTimeoutException("no response from " + pool.origin + " to " + ex.request + " for "
                + TimeUnit.NANOSECONDS.toMillis(limit) + " ms (read timeout, option http.readTimeoutMs)"));
    }

    // ---------------------------------------------------------------- closing

    void close() {
        if (channel != null) channel.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = State.CLOSED;
        if (readTimer != null) {
            readTimer.cancel(false);
            readTimer = null;
        }
        Exchange ex = exchange;
        exchange = null;
        if (first != null) { // died during the TLS handshake (or the proxy's CONNECT)
            ex = first;
            first = null;
            tunnelHead = null;
            pool.connectFailed(ex, new ConnectException("connection to " + pool.origin + " closed during the "
                    + (pool.tunnel() && !live ? "CONNECT or " : "") + "TLS handshake"));
            return;
        }
        if (live) pool.closed(this);
        if (ex == null || ex.isDone()) return;
        boolean started = parser.started();
        try {
            if (parser.closed()) { // a body delimited by the close is now complete
                loop.complete(ex, ex.response(parser));
                return;
            }
        } catch (IOException e) {
            loop.fail(ex, new IOException(e.getMessage() + " (from " + pool.origin + " to " + ex.request + ")", e));
            return;
        }
        if (!started && requests > 1 && ex.retries == 0 && ex.request.idempotent()) {
            // a kept-alive connection the server had closed: the request never got an answer; send again
            ex.retries++;
            ex.connection = null;
            pool.acquire(ex);
            return;
        }
        loop.fail(ex, new IOException("connection to " + pool.origin + " closed before the response to " + ex.request
                + " was complete"));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Exchange ex = exchange;
        exchange = null;
        ctx.close();
        if (ex != null) {
            IOException e = cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
            loop.fail(ex, e);
        }
    }
}
