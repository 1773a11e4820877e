package io.railyard.loop;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.railyard.core.TaskFuture;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Non-blocking TCP client connections on the loop (asyncio's {@code open_connection}). A facility of
 * {@link LoopPool}: {@code ctx.facility(LoopTcp.class)}.
 *
 * <p>Thread-safe: {@link #connect} may be called from any thread (it hops to the loop); the
 * {@link TcpConnection}s it yields are loop-confined.
 */
public final class LoopTcp {

    private final Loop loop;

    LoopTcp(Loop loop) {
        this.loop = loop;
    }

    /** Connects with the pool's connect timeout ({@code http.connectTimeoutMs}). */
    public CompletableFuture<TcpConnection> connect(String host, int port) {
        return connect(host, port, loop.options.connectTimeout());
    }

    public CompletableFuture<TcpConnection> connect(String host, int port, Duration timeout) {
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port " + port + " is not a TCP port: give 1..65535");
        CompletableFuture<TcpConnection> result = new CompletableFuture<>();
        int timeoutMillis = Math.clamp(timeout.toMillis(), 1, Integer.MAX_VALUE);
        Runnable go = () -> loop.resolve(host, port).whenComplete((address, e) -> {
            if (e != null) {
                loop.fail(result, new UnknownHostException("cannot resolve " + host + ": " + TaskFuture.unwrap(e).getMessage()));
                return;
            }
            TcpConnection c = new TcpConnection(loop);
            new Bootstrap().group(loop.eventLoop).channelFactory(loop.socketChannels).disableResolver() // resolved by Loop.resolve
                    .option(ChannelOption.TCP_NODELAY, true)
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, timeoutMillis)
                    .handler(c.handler())
                    .connect(address)
                    .addListener((ChannelFutureListener) (ChannelFuture f) -> {
                        if (f.isSuccess()) {
                            c.connected(f.channel());
                            loop.complete(result, c);
                        } else {
                            ConnectException ce = new ConnectException("cannot connect to " + host + ":" + port + ": "
                                    + (f.cause() == null ? "cancelled" : f.cause().getMessage()));
                            if (f.cause() != null) ce.initCause(f.cause());
                            loop.fail(result, ce);
                        }
                    });
        });
        loop.onLoop(go, result);
        return result;
    }
}
