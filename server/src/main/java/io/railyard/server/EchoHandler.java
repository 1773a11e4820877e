package io.railyard.server;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

import java.util.ArrayDeque;

/**
 * One connection of the echo port: every byte received is sent back, unchanged and in order.
 * Clients write a line and read it back. When the server has an {@link EchoBarrier}, bytes that
 * arrive before the barrier opens are held and echoed when it opens.
 *
 * <p>Thread-safety: all state belongs to the channel's event-loop thread; {@link #release} is
 * called by the barrier from any thread and hops onto that loop.
 */
final class EchoHandler extends ChannelInboundHandlerAdapter {

    private final LatencyServer.Clients clients;
    private final EchoBarrier barrier;
    private final ArrayDeque<Object> held = new ArrayDeque<>();
    private ChannelHandlerContext ctx;
    private ClientGauges gauges;
    private boolean passed;

    EchoHandler(LatencyServer.Clients clients, EchoBarrier barrier) {
        this.clients = clients;
        this.barrier = barrier;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        gauges = clients.of(ctx.channel().remoteAddress());
        gauges.echoOpened();
        passed = barrier == null || barrier.arrive(this);
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (barrier != null) barrier.leave(this);
        for (Object m : held) ReferenceCountUtil.release(m);
        held.clear();
        gauges.echoClosed();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (passed) ctx.write(msg, ctx.voidPromise());
        else if (msg instanceof ByteBuf) held.add(msg);
        else ReferenceCountUtil.release(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (passed) ctx.flush();
        ctx.fireChannelReadComplete();
    }

    /** The barrier opened: echo what was held, and everything from now on. */
    void release() {
        ctx.executor().execute(() -> {
            if (passed || !ctx.channel().isActive()) return;
            passed = true;
            Object m;
            while ((m = held.poll()) != null) ctx.write(m, ctx.voidPromise());
            ctx.flush();
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
