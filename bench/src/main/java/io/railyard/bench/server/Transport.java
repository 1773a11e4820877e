package io.railyard.bench.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * Netty's epoll transport when this machine has it, else NIO. The epoll classes reach bench only
 * at run time (the Netty BOM scopes the native transport {@code runtime}, and bench must not
 * declare Netty itself), so they are looked up by name: three lookups, once per server.
 *
 * <p>Immutable; {@link #choose} may be called from any thread.
 *
 * @param name    {@code epoll} or {@code nio}
 * @param io      the event loops' IO handler
 * @param channel the listening channel class
 */
record Transport(String name, IoHandlerFactory io, Class<? extends ServerChannel> channel) {

    /** {@code auto}: epoll when available; {@code epoll}: epoll or an error saying why not; {@code nio}. */
    static Transport choose(String wanted) {
        if (!wanted.equals("nio")) {
            Throwable unavailable = epollUnavailability();
            if (unavailable == null) return epoll();
            if (wanted.equals("epoll")) {
                throw new IllegalStateException("the epoll transport is not available here (" + unavailable + "): use transport nio or auto");
            }
        }
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }

    /** Null when epoll works here, else why it does not. */
    private static Throwable epollUnavailability() {
        try {
            Class<?> epoll = Class.forName("io.netty.channel.epoll.Epoll");
            if ((Boolean) epoll.getMethod("isAvailable").invoke(null)) return null;
            return (Throwable) epoll.getMethod("unavailabilityCause").invoke(null);
        } catch (ReflectiveOperationException | LinkageError e) {
            return e;
        }
    }

    private static Transport epoll() {
        try {
            IoHandlerFactory io = (IoHandlerFactory) Class.forName("io.netty.channel.epoll.EpollIoHandler").getMethod("newFactory").invoke(null);
            Class<? extends ServerChannel> channel = Class.forName("io.netty.channel.epoll.EpollServerSocketChannel").asSubclass(ServerChannel.class);
            return new Transport("epoll", io, channel);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("epoll is available but its classes cannot be loaded: " + e, e);
        }
    }
}
