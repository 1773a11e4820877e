package io.railyard.loop;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * An HTTP/1.1 request encoded once, up front: method, target, headers and body are turned into bytes
 * when the request is built, so sending it a thousand times costs a buffer duplicate each time, not a
 * re-encoding. Build it off the loop (in a workload's constructor) and share it between tasks.
 *
 * <p>{@code Host} is always set from the URL; {@code Content-Length} from the body. Requests go out
 * as HTTP/1.1 with keep-alive (the default), unless a {@code Connection: close} header is given.
 *
 * <p>Immutable and thread-safe.
 */
public final class LoopHttpRequest {

    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");

    private final String method;
    private final URI uri;
    private final boolean https;
    private final String host;
    private final int port;
    /** {@code scheme://host:port}: the connection pool this request uses. */
    private final String origin;
    private final int length;
    /** The encoded request, shared: every send writes a duplicate, never releases it. */
    private final ByteBuf encoded;
    /** Bodies longer than this are cut here and the response says so; -1: over the client's limit fails. */
    private final int truncateAt;
    /** The whole exchange must end within this many nanoseconds of {@code send}; -1: no deadline. */
    private final long deadlineNanos;
    /** The body is counted, not kept, and may be at most this long; -1: the body is kept. */
    private final long countLimit;
    /** The proxy it goes through, or null; kept with the headers and body to encode it for one ({@link #via}). */
    private final LoopHttpProxy proxy;
    private final Map<String, String> headers;
    private final byte[] body;

    private LoopHttpRequest(String method, URI uri, Map<String, String> headers, byte[] body) {
        this(method, uri, headers, body, null);
    }

    private LoopHttpRequest(String method, URI uri, Map<String, String> headers, byte[] body, LoopHttpProxy proxy) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https"))
            throw new IllegalArgumentException("url " + uri + " is not http or https: give an http:// or https:// URL");
        if (uri.getHost() == null)
            throw new IllegalArgumentException("url " + uri + " has no host: give e.g. http://127.0.0.1:8080/path");
        if (!isToken(method)) throw new IllegalArgumentException("'" + method + "' is not an HTTP method: give e.g. GET");
        this.method = method;
        this.uri = uri;
        this.https = scheme.equals("https");
        this.host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        int defaultPort = https ? 443 : 80;
        this.port = uri.getPort() == -1 ? defaultPort : uri.getPort();
        this.origin = scheme + "://" + uri.getHost() + ":" + port;
        this.proxy = proxy;
        this.headers = headers;
        this.body = body;

        String target = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        if (uri.getRawQuery() != null) target += "?" + uri.getRawQuery();
        String hostHeader = uri.getHost() + (port == defaultPort ? "" : ":" + port);
        boolean absoluteForm = proxy != null && !https; // RFC 9112 3.2.2: to a proxy, the whole URL
        if (absoluteForm) target = scheme + "://" + hostHeader + target;
        StringBuilder head = new StringBuilder(128).append(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n");
        if (absoluteForm && proxy.authorization() != null) head.append("Proxy-Authorization: ").append(proxy.authorization()).append("\r\n");
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String name = h.getKey();
            if (name.equalsIgnoreCase("host") || name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("proxy-authorization")) continue;
            if (name.indexOf('\r') >= 0 || name.indexOf('\n') >= 0 || h.getValue().indexOf('\r') >= 0 || h.getValue().indexOf('\n') >= 0)
                throw new IllegalArgumentException("header '" + name + "' contains a line break: remove it");
            head.append(name).append(": ").append(h.getValue()).append("\r\n");
        }
        if (body.length > 0 || !(method.equals("GET") || method.equals("HEAD")))
            head.append("Content-Length: ").append(body.length).append("\r\n");
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        this.length = headBytes.length + body.length;
        // a JDK direct buffer: the socket writes it without a copy, and the GC frees it with the request
        ByteBuffer direct = ByteBuffer.allocateDirect(length).put(headBytes).put(body).flip();
        this.encoded = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(direct));
        this.truncateAt = -1;
        this.deadlineNanos = -1;
        this.countLimit = -1;
    }

    /** Printable ASCII without spaces, at least one character (a crawl makes a request per URL: no stream here). */
    private static boolean isToken(String method) {
        if (method.isEmpty()) return false;
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c <= 32 || c >= 127) return false;
        }
        return true;
    }

    private LoopHttpRequest(LoopHttpRequest r, int truncateAt) {
        this(r, truncateAt, r.deadlineNanos, r.countLimit);
    }

    private LoopHttpRequest(LoopHttpRequest r, int truncateAt, long deadlineNanos, long countLimit) {
        this.method = r.method;
        this.uri = r.uri;
        this.https = r.https;
        this.host = r.host;
        this.port = r.port;
        this.origin = r.origin;
        this.length = r.length;
        this.encoded = r.encoded;
        this.truncateAt = truncateAt;
        this.deadlineNanos = deadlineNanos;
        this.countLimit = countLimit;
        this.proxy = r.proxy;
        this.headers = r.headers;
        this.body = r.body;
    }

    /**
     * The same request through {@code proxy} (null: direct): an http request is encoded again in
     * absolute form with the proxy's credentials; an https one will be tunnelled with CONNECT. The
     * target's host name is then never resolved by the client, only the proxy's.
     */
    public LoopHttpRequest via(LoopHttpProxy proxy) {
        if (java.util.Objects.equals(proxy, this.proxy)) return this;
        LoopHttpRequest r = new LoopHttpRequest(method, uri, headers, body, proxy);
        return truncateAt < 0 && deadlineNanos < 0 && countLimit < 0 ? r : new LoopHttpRequest(r, truncateAt, deadlineNanos, countLimit);
    }

    /** The proxy it goes through, or null. */
    public LoopHttpProxy proxy() {
        return proxy;
    }

    /**
     * The connection pool it uses: its origin when direct; the proxy for http through a proxy (one
     * proxy connection serves any http target); origin and proxy for a tunnel (one per target).
     */
    String poolKey() {
        if (proxy == null) return origin;
        String auth = proxy.authorization() == null ? "" : "#" + Integer.toHexString(proxy.authorization().hashCode());
        return https ? origin + " via " + proxy + auth : "http proxy " + proxy + auth;
    }

    /**
     * The same request, whose response body is cut after {@code maxBodyBytes} instead of failing
     * when it is long: the response is then {@link LoopHttpResponse#truncated()} and its connection
     * is closed (the rest of the body is never read). For a crawler that caps page sizes.
     */
    public LoopHttpRequest withBodyLimit(int maxBodyBytes) {
        if (maxBodyBytes < 0 || maxBodyBytes > LoopHttpClient.MAX_BODY_BYTES)
            throw new IllegalArgumentException("body limit must be 0.." + LoopHttpClient.MAX_BODY_BYTES + ", was " + maxBodyBytes);
        return new LoopHttpRequest(this, maxBodyBytes);
    }

    /** The body limit set by {@link #withBodyLimit}, or -1. */
    int truncateAt() {
        return truncateAt;
    }

    /**
     * The same request with a deadline for the whole exchange: from {@code send} to the last byte of
     * the response (waiting for a connection, connecting, a server that answers a byte at a time),
     * where the client's read timeout bounds only each silence. Past it the request fails with a
     * {@link DeadlineExceededException} and its connection is closed.
     */
    public LoopHttpRequest withDeadline(java.time.Duration deadline) {
        if (deadline.isNegative() || deadline.isZero()) throw new IllegalArgumentException("a deadline must be positive, was " + deadline);
        return new LoopHttpRequest(this, truncateAt, deadline.toNanos(), countLimit);
    }

    /**
     * The same request whose response body is counted and dropped as it arrives, not kept (the
     * response's body is empty, its {@link LoopHttpResponse#bodyLength()} the count): for work that
     * only needs the size, at no memory per response. A body longer than {@code maxBodyBytes} fails
     * the request with a {@link BodyLimitException} and closes its connection.
     */
    public LoopHttpRequest withCountedBody(int maxBodyBytes) {
        if (maxBodyBytes < 0) throw new IllegalArgumentException("body limit must be 0 or more, was " + maxBodyBytes);
        return new LoopHttpRequest(this, -1, deadlineNanos, maxBodyBytes);
    }

    /** The deadline set by {@link #withDeadline}, in nanoseconds, or -1. */
    long deadlineNanos() {
        return deadlineNanos;
    }

    /** The limit set by {@link #withCountedBody}, or -1 when the body is kept. */
    long countLimit() {
        return countLimit;
    }

    /** A GET of {@code url}. */
    public static LoopHttpRequest get(String url) {
        return get(parse(url));
    }

    public static LoopHttpRequest get(URI uri) {
        return new LoopHttpRequest("GET", uri, Map.of(), new byte[0]);
    }

    /** A request with any method, headers and body. */
    public static LoopHttpRequest of(String method, URI uri, Map<String, String> headers, byte[] body) {
        return new LoopHttpRequest(method.toUpperCase(Locale.ROOT), uri, new LinkedHashMap<>(headers), body.clone());
    }

    static URI parse(String url) {
        try {
            return URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("url '" + url + "' is not a valid URL: " + e.getMessage());
        }
    }

    public String method() {
        return method;
    }

    public URI uri() {
        return uri;
    }

    /** Bytes on the wire: head and body. */
    public int encodedLength() {
        return length;
    }

    boolean https() {
        return https;
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    String origin() {
        return origin;
    }

    boolean isHead() {
        return method.equals("HEAD");
    }

    /** Safe to send again on a fresh connection if a reused one died before answering. */
    boolean idempotent() {
        return IDEMPOTENT.contains(method);
    }

    /** A view of the encoded bytes for one write; releasing it is harmless. */
    ByteBuf encoded() {
        return encoded.duplicate();
    }

    @Override
    public String toString() {
        return method + " " + uri;
    }
}
