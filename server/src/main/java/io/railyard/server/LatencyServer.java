package io.railyard.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ImmediateEventExecutor;

import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The server every IO benchmark and the crawler aim at: a real HTTP/1.1 server on loopback whose
 * answers take as long as the client asks, plus a raw TCP echo port for long-lived connections.
 * Built on Netty (epoll when available) with one or two event-loop threads, pre-encoded
 * responses and timers instead of sleeping threads, so it holds 10,000 connections and stays far
 * from being the bottleneck of a benchmark.
 *
 * <h2>HTTP endpoints (GET or HEAD; keep-alive and pipelining supported)</h2>
 * <pre>
 *   /delay/{ms}[?bytes=N]    200 after ms milliseconds (0..600000), N filler bytes (default 1024)
 *   /bytes/{n}               200 with n filler bytes at once (0..64 MiB)
 *   /status/{code}           that status, 200..599; ?location=URL adds Location, ?retry-after=S Retry-After
 *   /redirect/{n}            302 to /redirect/{n-1}; /redirect/0 is 200 (n 0..100)
 *   /site/...                the generated site ({@link SiteGraph}); /site answers 301 to /site/;
 *                            ?latency=MS delays one answer (the server option delays them all)
 *   /robots.txt              "Disallow: /site/private/"
 *   /stats                   {@link ServerStats} as JSON
 *   /                        this list, as text
 * </pre>
 * A bad number (not decimal, out of range, trailing path) answers 400 naming the fix; an unknown
 * path 404; another method 405; a malformed request 400 and the connection closes.
 *
 * <h2>Echo port</h2>
 * A plain TCP port beside the HTTP one ({@link #echoPort()}): every byte is echoed back. A client
 * writes {@code "hello\n"} and reads a line; CPython needs only {@code asyncio.open_connection},
 * a blocking model only a {@code java.net.Socket}. With {@link ServerOptions#echoBarrier()} > 0
 * nothing is echoed until that many echo connections are open at once ({@link EchoBarrier}).
 *
 * <h2>Lifecycle and thread-safety</h2>
 * {@code start} binds both ports and returns a RUNNING server or throws (nothing is left bound);
 * {@link #close()} moves it to CLOSED: listeners and every connection closed, event-loop threads
 * ended, ports free. All methods may be called from any thread; {@code close} is idempotent.
 */
public final class LatencyServer implements AutoCloseable {

    private static final AtomicInteger INSTANCES = new AtomicInteger();

    /** Gauges per client address, and the server-wide ones. Thread-safe. */
    static final class Clients {
        final ClientGauges all = new ClientGauges(null);
        private final ConcurrentHashMap<String, ClientGauges> byAddress = new ConcurrentHashMap<>();

        ClientGauges of(SocketAddress remote) {
            String key = remote instanceof InetSocketAddress inet && inet.getAddress() != null
                    ? inet.getAddress().getHostAddress() : String.valueOf(remote);
            return byAddress.computeIfAbsent(key, k -> new ClientGauges(all));
        }

        ServerStats snapshot() {
            Map<String, ServerStats.ClientStats> clients = new TreeMap<>();
            byAddress.forEach((k, v) -> clients.put(k, v.snapshot()));
            ServerStats.ClientStats a = all.snapshot();
            return new ServerStats(a.connections(), a.requests(), a.echoConnections(), Map.copyOf(clients));
        }

        void resetPeaks() {
            all.resetPeaks();
            byAddress.values().forEach(ClientGauges::resetPeaks);
        }
    }

    private final ServerOptions options;
    private final String threadPrefix;
    private final String transport;
    private final EventLoopGroup group;
    private final Channel http;
    private final Channel echo;
    private final SiteGraph site;
    private final Clients clients = new Clients();
    /** Every open connection; Netty's epoll loop does not close them when it shuts down, so close does. */
    private final ChannelGroup connections = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch terminated = new CountDownLatch(1);

    private LatencyServer(ServerOptions options) {
        this.options = options;
        this.threadPrefix = "railyard-server-" + INSTANCES.incrementAndGet();
        Transport transport = Transport.choose(options.transport());
        this.transport = transport.name();
        Class<? extends ServerChannel> channel = transport.channel();
        this.group = new MultiThreadIoEventLoopGroup(options.threads(), new DefaultThreadFactory(threadPrefix, true), transport.io());
        this.site = SiteGraph.generate(options.pages(), options.seed());
        SitePages pages = new SitePages(site);
        if (options.port() != 0) pages.origin(origin(options.host(), options.port()));
        Routes routes = new Routes(pages, options, () -> stats().toJson());
        EchoBarrier barrier = options.echoBarrier() > 0 ? new EchoBarrier(options.echoBarrier()) : null;
        Channel httpChannel = null;
        Channel echoChannel = null;
        try {
            httpChannel = bind(channel, options.port(), "port", ch -> ch.pipeline().addLast(new HttpRequestDecoder(), new HttpHandler(routes, clients)));
            // with port 0 the origin is known only now, and no client can know the port before start returns
            pages.origin(origin(options.host(), ((InetSocketAddress) httpChannel.localAddress()).getPort()));
            if (options.echoPort() >= 0) {
                echoChannel = bind(channel, options.echoPort(), "echo port", ch -> ch.pipeline().addLast(new EchoHandler(clients, barrier)));
            }
        } catch (RuntimeException e) {
            if (httpChannel != null) httpChannel.close().syncUninterruptibly();
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
            throw e;
        }
        this.http = httpChannel;
        this.echo = echoChannel;
    }

    /** Starts a server; throws {@link UncheckedIOException} naming the port when it cannot bind. */
    public static LatencyServer start(ServerOptions options) {
        return new LatencyServer(options);
    }

    /** A server with {@link ServerOptions#defaults()}: loopback, ephemeral ports. */
    public static LatencyServer start() {
        return start(ServerOptions.defaults());
    }

    private Channel bind(Class<? extends ServerChannel> channel, int port, String what, Consumer<SocketChannel> init) {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, 16_384)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        init.accept(ch);
                    }
                });
        try {
            return b.bind(options.host(), port).syncUninterruptibly().channel();
        } catch (Exception e) {
            throw new UncheckedIOException(new BindException(cannotListen(port, what, e)));
        }
    }

    /**
     * Why a bind failed, with the fix: every bind failure is the environment's or the user's (a port
     * taken or privileged, an address not of this machine), so it is one line, never a stack trace.
     */
    private String cannotListen(int port, String what, Exception e) {
        // a host name that does not resolve (nosuch.example, 999.1.1.1) fails the bind with no message at all
        boolean unresolved = e instanceof java.nio.channels.UnresolvedAddressException;
        String said = unresolved ? "no such host" : e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        String lower = said.toLowerCase(java.util.Locale.ROOT);
        String fix = lower.contains("permission denied") || lower.contains("access denied")
                ? "ports below 1024 need root: choose a " + what + " of 1024 or more" + (port == 0 ? "" : ", or 0 for any free one")
                : unresolved || lower.contains("assign requested address") || lower.contains("unresolved") || lower.contains("cannot assign")
                ? "give --host an address of this machine (127.0.0.1, 0.0.0.0, or one of its interfaces)"
                : "choose another " + what + (port == 0 ? "" : ", or 0 for any free one");
        return "cannot listen on " + options.host() + ":" + port + " (" + said + "): " + fix;
    }

    private static String origin(String host, int port) {
        return "http://" + hostForUri(host) + ":" + port;
    }

    private static String hostForUri(String host) {
        return host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
    }

    public ServerOptions options() {
        return options;
    }

    /** The HTTP port (the real one when the options asked for 0). */
    public int port() {
        return ((InetSocketAddress) http.localAddress()).getPort();
    }

    /** The echo port, or -1 when the server has none. */
    public int echoPort() {
        return echo == null ? -1 : ((InetSocketAddress) echo.localAddress()).getPort();
    }

    /** {@code http://host:port}, without a trailing slash. */
    public String origin() {
        return origin(options.host(), port());
    }

    /** The URI of {@code path} (which starts with /) on this server. */
    public URI uri(String path) {
        return URI.create(origin() + path);
    }

    /** The generated site's link graph. */
    public SiteGraph site() {
        return site;
    }

    /** {@code epoll} or {@code nio}. */
    public String transport() {
        return transport;
    }

    public ServerStats stats() {
        return clients.snapshot();
    }

    /** Peaks restart from the current levels: a test measures one phase's peak. */
    public void resetPeaks() {
        clients.resetPeaks();
    }

    public boolean isRunning() {
        return !closed.get();
    }

    /** Blocks until {@link #close()} has finished (for {@code railyard serve}). */
    public void awaitClose() throws InterruptedException {
        terminated.await();
    }

    /** Prefix of this server's thread names (tests check that none is left after close). */
    String threadNamePrefix() {
        return threadPrefix + "-";
    }

    /** Closes the listeners and every connection and ends the event-loop threads. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            try {
                terminated.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        try {
            http.close().syncUninterruptibly();
            if (echo != null) echo.close().syncUninterruptibly();
            connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        } finally {
            terminated.countDown();
        }
    }
}
