package io.railyard.loop;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.concurrent.CompletableFuture;

/**
 * The keep-alive connections to one origin ({@code scheme://host:port}) of a {@link LoopHttpClient},
 * or, through a proxy, to the proxy: for http every target shares them; for https each target has
 * its own tunnels.
 *
 * <pre>
 *   acquire(ex) --idle connection?--yes--> send on it (most recently used first: warm, and lets
 *        |                                  surplus connections age out on the server)
 *        no --under the limit?--yes--> connect (resolve, [CONNECT tunnel], TLS) --> send
 *        no --> waiters, served by the next release or close
 * </pre>
 *
 * <p>Loop-confined: every method runs on the loop thread.
 */
final class HostPool {

    final LoopHttpClient client;
    final Loop loop;
    final String origin;
    /** The TLS peer (the target), for an https pool. */
    final String host;
    final int port;
    final boolean https;
    /** The proxy its connections go through (then {@code connectHost} is the proxy's), or null. */
    final LoopHttpProxy proxy;
    /** Where its connections connect: the target, or the proxy. */
    final String connectHost;
    final int connectPort;

    private InetSocketAddress address;
    private CompletableFuture<InetSocketAddress> resolving;
    private final ArrayDeque<HttpConnection> idle = new ArrayDeque<>();
    private final ArrayDeque<Exchange> waiters = new ArrayDeque<>();
    private final HashSet<HttpConnection> live = new HashSet<>();
    /** Connections open or being opened; what the per-host limit counts. */
    private int open;

    HostPool(LoopHttpClient client, LoopHttpRequest first) {
        this.client = client;
        this.loop = client.loop;
        this.proxy = first.proxy();
        this.origin = proxy == null ? first.origin() : first.https() ? first.origin() + " via proxy " + proxy : "http proxy " + proxy;
        this.host = first.host();
        this.port = first.port();
        this.https = first.https();
        this.connectHost = proxy == null ? host : proxy.host();
        this.connectPort = proxy == null ? port : proxy.port();
    }

    /** Its connections open a CONNECT tunnel through the proxy before TLS. */
    boolean tunnel() {
        return https && proxy != null;
    }

    int live() {
        return live.size();
    }

    int idle() {
        return idle.size();
    }

    void acquire(Exchange ex) {
        assert loop.inLoop();
        HttpConnection c = idle.pollLast();
        if (c != null) {
            c.send(ex);
        } else if (client.maxConnectionsPerHost == 0 || open < client.maxConnectionsPerHost) {
            open++;
            connect(ex);
        } else {
            waiters.addLast(ex);
        }
    }

    /** A connection finished a response and may carry another. */
    void release(HttpConnection c) {
        assert loop.inLoop();
        Exchange next;
        while ((next = waiters.pollFirst()) != null) {
            if (!next.isDone()) {
                c.send(next);
                return;
            }
        }
        if (client.maxIdlePerHost != 0 && idle.size() >= client.maxIdlePerHost) c.close();
        else idle.addLast(c);
    }

    /** A live connection closed; its place may serve a waiter. */
    void closed(HttpConnection c) {
        assert loop.inLoop();
        live.remove(c);
        idle.remove(c);
        placeFreed();
    }

    /** A connection's place (counted by {@code open}) is free: connect for the longest waiter, if any. */
    private void placeFreed() {
        open--;
        Exchange next;
        while ((next = waiters.pollFirst()) != null) {
            if (!next.isDone()) {
                open++;
                connect(next);
                return;
            }
        }
    }

    void opened(HttpConnection c) {
        live.add(c);
        client.connectionOpened();
    }

    private void connect(Exchange first) {
        if (https) {
            CompletableFuture<SslContext> ssl = client.sslContext();
            if (!ssl.isDone()) {
                ssl.whenComplete((ctx, e) -> connect(first)); // completes on the loop
                return;
            }
            if (ssl.isCompletedExceptionally()) {
                connectFailed(first, new ConnectException("cannot set up TLS for " + origin + ": "
                        + ssl.exceptionNow().getMessage()));
                return;
            }
        }
        if (address == null) {
            if (resolving == null) resolving = loop.resolve(connectHost, connectPort); // never the target's name behind a proxy
            if (!resolving.isDone()) {
                resolving.whenComplete((a, e) -> connect(first)); // completes on the loop
                return;
            }
            if (resolving.isCompletedExceptionally()) {
                Throwable cause = resolving.exceptionNow();
                resolving = null; // try again for the next request
                UnknownHostException e = new UnknownHostException("cannot resolve " + (proxy == null ? "" : "the proxy ") + connectHost + " for " + first.request
                        + ": " + cause.getMessage());
                connectFailed(first, e);
                return;
            }
            address = resolving.join();
        }
        SslContext ssl = https ? client.sslContext().join() : null;
        HttpConnection c = new HttpConnection(this, first, ssl);
        new Bootstrap().group(loop.eventLoop).channelFactory(loop.socketChannels).disableResolver() // resolved by Loop.resolve
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, client.connectTimeoutMillis)
                .handler(c)
                .connect(address)
                .addListener(c);
    }

    /** Connecting (TCP, or the TLS handshake) failed before the connection went live. */
    void connectFailed(Exchange first, Throwable cause) {
        assert loop.inLoop();
        placeFreed();
        loop.fail(first, cause);
    }

    void closeAll() {
        for (HttpConnection c : new ArrayList<>(live)) c.close();
    }
}
