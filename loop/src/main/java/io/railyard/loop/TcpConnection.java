package io.railyard.loop;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;

/**
 * A TCP connection for loop tasks, with asyncio's stream API: {@link #write}, {@link #read},
 * {@link #readExactly}, {@link #readUntil}, {@link #close}. Every call returns a future completed on
 * the loop; none blocks.
 *
 * <p>Incoming bytes collect in one buffer until a read takes them. When 256 KiB are waiting unread,
 * the connection stops reading from the socket (TCP flow control pushes back on the peer) and
 * resumes below 64 KiB. One read may wait at a time, as with asyncio's {@code StreamReader}.
 * An idle connection holds no buffer at all, so thousands of them stay cheap.
 *
 * <p>Loop-confined: every method must be called on the loop thread (checked).
 */
public final class TcpConnection {

    private static final int HIGH_WATER = 256 << 10, LOW_WATER = 64 << 10;
    private static final byte[] EMPTY = new byte[0];

    private enum Kind { ANY, EXACTLY, UNTIL }

    private record PendingRead(Kind kind, int n, byte delimiter, CompletableFuture<byte[]> future) {}

    private final Loop loop;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private Channel channel;
    /** Bytes received and not yet read; null when there are none. */
    private ByteBuf inbound;
    private PendingRead pending;
    private boolean eof;
    private IOException error;

    TcpConnection(Loop loop) {
        this.loop = loop;
    }

    ChannelHandler handler() {
        return new Handler();
    }

    void connected(Channel channel) {
        this.channel = channel;
    }

    /** Writes and flushes; the future completes once the bytes are handed to the kernel. */
    public CompletableFuture<Void> write(byte[] bytes) {
        loop.checkOwner("TcpConnection.write");
        CompletableFuture<Void> done = new CompletableFuture<>();
        channel.writeAndFlush(Unpooled.wrappedBuffer(bytes)).addListener(f -> {
            if (f.isSuccess()) loop.complete(done, null);
            else loop.fail(done, new IOException("write to " + channel.remoteAddress() + " failed: " + f.cause().getMessage(), f.cause()));
        });
        return done;
    }

    /** Up to {@code max} bytes, as soon as any are there; an empty array at end of stream. */
    public CompletableFuture<byte[]> read(int max) {
        if (max < 1) throw new IllegalArgumentException("max must be >= 1, was " + max);
        return enqueue(new PendingRead(Kind.ANY, max, (byte) 0, new CompletableFuture<>()));
    }

    /** Exactly {@code n} bytes; fails with {@link EOFException} if the stream ends first. */
    public CompletableFuture<byte[]> readExactly(int n) {
        if (n < 0) throw new IllegalArgumentException("n must be >= 0, was " + n);
        return enqueue(new PendingRead(Kind.EXACTLY, n, (byte) 0, new CompletableFuture<>()));
    }

    /** Bytes up to and including {@code delimiter}, at most {@code max} of them. */
    public CompletableFuture<byte[]> readUntil(byte delimiter, int max) {
        if (max < 1) throw new IllegalArgumentException("max must be >= 1, was " + max);
        return enqueue(new PendingRead(Kind.UNTIL, max, delimiter, new CompletableFuture<>()));
    }

    /** Closes the connection and drops unread bytes; the future completes once it is closed. */
    public CompletableFuture<Void> close() {
        loop.checkOwner("TcpConnection.close");
        channel.close();
        if (inbound != null) {
            inbound.release();
            inbound = null;
        }
        return closed;
    }

    /** Completes when the connection is closed, by either side. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    public boolean isOpen() {
        loop.checkOwner("TcpConnection.isOpen");
        return channel.isActive();
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    public InetSocketAddress remoteAddress() {
        return (InetSocketAddress) channel.remoteAddress();
    }

    private CompletableFuture<byte[]> enqueue(PendingRead read) {
        loop.checkOwner("TcpConnection.read");
        if (pending != null)
            throw new IllegalStateException("a read is already waiting on this connection: wait for its future first");
        pending = read;
        serve();
        return read.future;
    }

    /** Satisfies the waiting read if the buffered bytes (or the end of stream) allow. */
    private void serve() {
        assert loop.inLoop();
        PendingRead r = pending;
        if (r == null) return;
        int available = inbound == null ? 0 : inbound.readableBytes();
        byte[] out = null;
        Throwable failure = null;
        switch (r.kind) {
            case ANY -> {
                if (available > 0) out = take(Math.min(available, r.n));
                else if (error != null) failure = error;
                else if (eof) out = EMPTY;
            }
            case EXACTLY -> {
                if (available >= r.n) out = take(r.n);
                else if (error != null) failure = error;
                else if (eof) failure = new EOFException("connection closed after " + available + " of " + r.n + " bytes");
            }
            case UNTIL -> {
                int at = available == 0 ? -1 : inbound.indexOf(inbound.readerIndex(), inbound.readerIndex() + Math.min(available, r.n), r.delimiter);
                if (at >= 0) out = take(at - inbound.readerIndex() + 1);
                else if (available >= r.n) failure = new IOException("no delimiter within " + r.n + " bytes");
                else if (error != null) failure = error;
                else if (eof) failure = new EOFException("connection closed after " + available + " bytes without the delimiter");
            }
        }
        if (out == null && failure == null) return;
        pending = null;
        if (out != null) loop.complete(r.future, out);
        else loop.fail(r.future, failure);
    }

    private byte[] take(int n) {
        if (n == 0) return EMPTY;
        byte[] out = ByteBufUtil.getBytes(inbound, inbound.readerIndex(), n);
        inbound.skipBytes(n);
        if (!inbound.isReadable()) {
            inbound.release();
            inbound = null;
        }
        if (!channel.config().isAutoRead() && (inbound == null || inbound.readableBytes() < LOW_WATER))
            channel.config().setAutoRead(true);
        return out;
    }

    /** The pipeline's only handler; Netty calls it on the loop. */
    private final class Handler extends InboundHandler {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof ByteBuf buf)) {
                io.netty.util.ReferenceCountUtil.release(msg);
                return;
            }
            inbound = inbound == null ? buf : ByteToMessageDecoder.MERGE_CUMULATOR.cumulate(ctx.alloc(), inbound, buf);
            if (inbound.readableBytes() >= HIGH_WATER) ctx.channel().config().setAutoRead(false);
            serve();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            eof = true;
            serve(); // unread bytes stay readable after the peer closed, as with asyncio's streams
            loop.complete(closed, null);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            error = cause instanceof IOException io ? io : new IOException(cause.getMessage(), cause);
            ctx.close();
            serve();
        }
    }
}
