package io.railyard.loop;

/**
 * An HTTP proxy a {@link LoopHttpRequest} goes through ({@link LoopHttpRequest#via}). An http
 * request is sent to the proxy in absolute form ({@code GET http://host/path HTTP/1.1}); an https
 * request is tunnelled: {@code CONNECT host:port} to the proxy, then TLS with the target through the
 * tunnel. Either way the client resolves only the proxy's name, never the target's.
 *
 * @param host          the proxy's host name or address
 * @param port          its port
 * @param authorization the {@code Proxy-Authorization} value ({@code Basic ...}), or null
 */
public record LoopHttpProxy(String host, int port, String authorization) {
    public LoopHttpProxy {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("a proxy needs a host");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("proxy port must be 1..65535, was " + port);
        if (authorization != null && (authorization.indexOf('\r') >= 0 || authorization.indexOf('\n') >= 0))
            throw new IllegalArgumentException("the proxy authorization contains a line break");
    }

    @Override
    public String toString() {
        return host + ":" + port; // never the credentials
    }
}
