package io.railyard.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP connection of the {@link LatencyServer}: routes each decoded request and writes its
 * pre-encoded answer, now or when its delay elapses on the event loop's timer (no thread sleeps).
 *
 * <pre>
 *   bytes --> HttpRequestDecoder --> channelRead(request) --> Routes --> Reply(bytes, delay)
 *                                                                          |
 *        socket <-- write in request order <-- ready(slot) <-- now, or timer(delay)
 * </pre>
 *
 * HTTP/1.1 lets a client pipeline requests, and answers must leave in request order even when a
 * later request's delay is shorter: each request takes a slot in {@link #slots}, and a ready answer
 * is written only once every slot before it has been written. A response without keep-alive closes
 * the connection after it is written, and requests after it are ignored.
 *
 * <p>Thread-safety: all state belongs to the channel's event-loop thread; every method, including
 * the timer callbacks, runs there.
 */
final class HttpHandler extends ChannelInboundHandlerAdapter {

    /** One request awaiting its turn; {@code response} is null until its answer is ready. */
    private static final class Slot {
        final boolean keepAlive;
        ByteBuf response;
        boolean abandoned;

        Slot(boolean keepAlive) {
            this.keepAlive = keepAlive;
        }
    }

    private final Routes routes;
    private final LatencyServer.Clients clients;
    private final ArrayDeque<Slot> slots = new ArrayDeque<>();
    private ClientGauges gauges;
    private boolean closing;
    private boolean needsFlush;

    HttpHandler(Routes routes, LatencyServer.Clients clients) {
        this.routes = routes;
        this.clients = clients;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        gauges = clients.of(ctx.channel().remoteAddress());
        gauges.connectionOpened();
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // requests still waiting for their delay will never be answered: they leave flight now
        for (Slot s : slots) {
            s.abandoned = true;
            gauges.requestFinished();
            if (s.response != null) ReferenceCountUtil.release(s.response);
        }
        slots.clear();
        gauges.connectionClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            if (msg instanceof HttpRequest request && !closing) onRequest(ctx, request);
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onRequest(ChannelHandlerContext ctx, HttpRequest request) {
        gauges.requestStarted();
        boolean decoded = request.decoderResult().isSuccess();
        boolean keepAlive = decoded && HttpUtil.isKeepAlive(request);
        Slot slot = new Slot(keepAlive);
        slots.add(slot);
        if (!keepAlive) closing = true;
        Routes.Reply reply;
        if (!decoded) {
            reply = Routes.error(400, "malformed request: " + request.decoderResult().cause().getMessage(), false, false);
        } else {
            try {
                reply = routes.route(request, keepAlive);
            } catch (RuntimeException e) {
                // a bug in a route must cost one 500, never the server
                reply = Routes.error(500, "internal error: " + e, keepAlive, false);
            }
        }
        if (reply.delayMs() > 0) {
            ByteBuf bytes = reply.bytes();
            ctx.executor().schedule(() -> ready(ctx, slot, bytes, true), reply.delayMs(), TimeUnit.MILLISECONDS);
        } else {
            ready(ctx, slot, reply.bytes(), false);
        }
    }

    /** The answer of {@code slot} is ready: write every answer that may now leave, in order. */
    private void ready(ChannelHandlerContext ctx, Slot slot, ByteBuf response, boolean fromTimer) {
        assert ctx.executor().inEventLoop() : "slots belong to the channel's event loop";
        if (slot.abandoned) {
            ReferenceCountUtil.release(response);
            return;
        }
        slot.response = response;
        boolean wrote = false;
        Slot head;
        while ((head = slots.peek()) != null && head.response != null) {
            slots.poll();
            gauges.requestFinished();
            if (!head.keepAlive) {
                ctx.writeAndFlush(head.response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ctx.write(head.response, ctx.voidPromise());
            wrote = true;
        }
        // answers written while reading are flushed once, in channelReadComplete
        if (wrote) {
            if (fromTimer) ctx.flush();
            else needsFlush = true;
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (needsFlush) {
            needsFlush = false;
            ctx.flush();
        }
        ctx.fireChannelReadComplete();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // a reset or broken connection is the client's business: drop it, keep serving the others
        ctx.close();
    }
}
