package io.railyard.loop;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandler;

/**
 * A Netty inbound handler that passes on every event it does not override, as Netty's
 * {@code ChannelInboundHandlerAdapter} does, but declares each method itself, without the adapter's
 * {@code @Skip} annotations.
 *
 * <p>Why: Netty decides which events a handler class takes by looking for {@code @Skip} on its
 * methods, through reflection, at the class's first use. Reading an annotation makes the JVM define
 * a {@code java.lang.reflect.Proxy} class for its type (two here: Netty's {@code Skip} and the JDK's
 * {@code Retention}), written by the ClassFile API in the interpreter. The start-up cache cannot
 * hold such a class. So every command that connected paid for them on the loop, at its first
 * connection, while the other connections waited: 10 ms on a quiet machine ({@code -Xlog:class+init}),
 * several times that on a busy one. A subclass of this class has no annotation to read. The price
 * is one forwarding call for each event it does not handle, which Netty would otherwise have skipped.
 *
 * <p>Not {@code @Sharable}: Netty checks that only on the adapter's subclasses. Each connection gets
 * its own handler, as with the adapter.
 */
abstract class InboundHandler implements ChannelInboundHandler {

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {}

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {}

    @Override
    public void channelRegistered(ChannelHandlerContext ctx) {
        ctx.fireChannelRegistered();
    }

    @Override
    public void channelUnregistered(ChannelHandlerContext ctx) {
        ctx.fireChannelUnregistered();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.fireChannelReadComplete();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.fireExceptionCaught(cause);
    }
}
