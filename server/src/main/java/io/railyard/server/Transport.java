package io.railyard.server;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * Netty's epoll transport when this machine has it, else NIO.
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
            if (Epoll.isAvailable()) return new Transport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class);
            if (wanted.equals("epoll")) {
                throw new IllegalStateException("the epoll transport is not available here (" + Epoll.unavailabilityCause() + "): use transport nio or auto");
            }
        }
        return new Transport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class);
    }
}
