package io.railyard.crawl.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The HTTP client of the blocking models ({@code threads}, {@code virtual}, {@code processes}):
 * one GET, the calling thread blocked until the whole body is read. Built on the JDK's
 * {@link HttpURLConnection}, chosen by measurement ({@link ClientComparison}): on the io workload
 * it used the least CPU per request of the JDK's {@code HttpClient}, {@code HttpURLConnection}
 * and Apache HttpClient 5, cold and warm, on platform and virtual threads, and needs no library.
 *
 * <p>Connections are kept alive and reused by the JDK's keep-alive cache. That cache keeps only 5
 * idle connections per host unless {@code http.maxConnections} is set before the JVM's first
 * HTTP request, so this class sets it (if nobody has) when it is loaded. Redirects are not
 * followed (a crawler decides what to do with a 3xx); the body of any status is returned, cut at
 * {@link Options#maxBodyBytes()}. No proxy is used unless a request names one ({@link Via}):
 * benchmarks talk to loopback.
 *
 * <p>There is nothing to close: idle connections belong to the JDK's keep-alive cache, which closes
 * them after they idle for 5 s.
 *
 * <p>Thread-safe: one instance serves any number of threads, virtual ones included.
 */
public final class BlockingHttp {

    /** Idle connections kept per host: above any concurrency a benchmark uses. */
    static final int KEEP_ALIVE_PER_HOST = 20_000;

    static {
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", String.valueOf(KEEP_ALIVE_PER_HOST));
        }
        // the JDK refuses Basic proxy authentication for CONNECT tunnels unless told otherwise; a proxy
        // URL's user-info is exactly that (read once, when HttpURLConnection is first loaded)
        if (System.getProperty("jdk.http.auth.tunneling.disabledSchemes") == null) {
            System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
        }
    }

    /**
     * An HTTP proxy to go through: http in absolute form, https tunnelled with CONNECT. The target's
     * name is resolved by the proxy, never here.
     *
     * @param user     for Basic proxy authentication, or null
     * @param password its password (with a user)
     */
    public record Via(String host, int port, String user, String password) {
        @Override
        public String toString() {
            return host + ":" + port; // never the credentials
        }

        String authorization() {
            return "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /**
     * @param connectTimeout how long a connect may take
     * @param readTimeout    how long a read may wait for bytes
     * @param maxBodyBytes   a longer body is cut there ({@link Response#truncated()})
     * @param userAgent      the User-Agent header
     */
    public record Options(Duration connectTimeout, Duration readTimeout, int maxBodyBytes, String userAgent) {
        public Options {
            if (connectTimeout.isNegative() || connectTimeout.isZero()) throw new IllegalArgumentException("connect timeout must be positive");
            if (readTimeout.isNegative() || readTimeout.isZero()) throw new IllegalArgumentException("read timeout must be positive");
            if (maxBodyBytes < 0) throw new IllegalArgumentException("max body bytes must be >= 0, was " + maxBodyBytes);
        }

        /** 10 s to connect, 60 s per read, bodies up to 16 MiB. */
        public static Options defaults() {
            return new Options(Duration.ofSeconds(10), Duration.ofSeconds(60), 16 * 1024 * 1024, "railyard/0.1");
        }

        public Options withTimeouts(Duration connect, Duration read) {
            return new Options(connect, read, maxBodyBytes, userAgent);
        }

        public Options withMaxBodyBytes(int max) {
            return new Options(connectTimeout, readTimeout, max, userAgent);
        }
    }

    /**
     * A response: its status, headers (names lower-case) and body.
     *
     * @param truncated the body was longer than the limit and was cut
     */
    public record Response(int status, Map<String, List<String>> headers, byte[] body, boolean truncated) {
        /** The first value of the header, or null. */
        public String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }
    }

    private final Options options;
    private final int connectMillis;
    private final int readMillis;

    public BlockingHttp(Options options) {
        this.options = options;
        this.connectMillis = (int) Math.min(Integer.MAX_VALUE, options.connectTimeout().toMillis());
        this.readMillis = (int) Math.min(Integer.MAX_VALUE, options.readTimeout().toMillis());
    }

    public BlockingHttp() {
        this(Options.defaults());
    }

    public Options options() {
        return options;
    }

    /**
     * GETs {@code uri} and reads the body.
     *
     * @throws IOException when the connection fails or a timeout elapses
     * @throws IllegalArgumentException when the URI is not http or https
     */
    public Response get(URI uri) throws IOException {
        return get(uri, Map.of(), null);
    }

    /**
     * GETs {@code uri} with these request headers (over the defaults: {@code User-Agent} from the
     * options), directly or through {@code proxy}, and reads the body.
     *
     * @param proxy null to connect directly
     * @throws IOException when the connection fails or a timeout elapses
     * @throws IllegalArgumentException when the URI is not http or https
     */
    public Response get(URI uri, Map<String, String> requestHeaders, Via proxy) throws IOException {
        return get(uri, requestHeaders, proxy, null);
    }

    /**
     * {@link #get(URI, Map, Via)} within a whole-request deadline: connecting and the last byte of the
     * body included, however slowly the server answers (see {@link RequestDeadline}; a read timeout
     * only bounds each silence, and a blocked read ignores the interrupt a pool's task timeout sends).
     *
     * @param deadline the longest the whole request may take; null for none
     * @throws io.railyard.loop.DeadlineExceededException when the deadline passes
     */
    public Response get(URI uri, Map<String, String> requestHeaders, Via proxy, Duration deadline) throws IOException {
        String scheme = uri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("not an http or https URL: " + uri);
        }
        HttpURLConnection c = open(uri, proxy);
        try (RequestDeadline d = deadline == null ? null : new RequestDeadline(c, deadline)) {
            try {
                return exchange(c, requestHeaders, d);
            } catch (IOException e) {
                IOException cause = d == null ? e : d.cause(e, "GET " + uri);
                if (cause != e) c.disconnect();
                throw cause;
            }
        }
    }

    /** A request's settings: no redirect followed, no cache, the user agent, and timeouts within {@code d} (null: none). */
    private void prepare(HttpURLConnection c, RequestDeadline d) {
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setConnectTimeout(d == null ? connectMillis : Math.min(connectMillis, d.millisLeft()));
        c.setReadTimeout(d == null ? readMillis : Math.min(readMillis, d.millisLeft()));
        c.setRequestProperty("User-Agent", options.userAgent());
    }

    /** Sends the request on {@code c} and reads the answer, its timeouts within {@code d} (null: none). */
    private Response exchange(HttpURLConnection c, Map<String, String> requestHeaders, RequestDeadline d) throws IOException {
        prepare(c, d);
        requestHeaders.forEach(c::setRequestProperty);
        int status = c.getResponseCode();
        Map<String, List<String>> headers = new LinkedHashMap<>();
        c.getHeaderFields().forEach((k, v) -> {
            if (k != null) headers.put(k.toLowerCase(Locale.ROOT), v);
        });
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        if (in == null) return new Response(status, Collections.unmodifiableMap(headers), new byte[0], false);
        byte[] body;
        boolean truncated;
        try {
            byte[] read = in.readNBytes(options.maxBodyBytes() + (options.maxBodyBytes() < Integer.MAX_VALUE ? 1 : 0));
            truncated = read.length > options.maxBodyBytes();
            body = truncated ? Arrays.copyOf(read, options.maxBodyBytes()) : read;
        } catch (IOException e) {
            c.disconnect();
            throw e;
        }
        if (truncated) c.disconnect(); // the rest of the body is unread: the connection cannot be reused
        else in.close();              // read to the end: the connection goes back to the keep-alive cache
        return new Response(status, Collections.unmodifiableMap(headers), body, truncated);
    }

    /** A connection to {@code uri}, direct or through the proxy; nothing is resolved or sent yet. */
    private static HttpURLConnection open(URI uri, Via proxy) throws IOException {
        if (proxy == null) return (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        Proxy p = new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(proxy.host(), proxy.port()));
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(p);
        if (proxy.user() != null) {
            if ("http".equalsIgnoreCase(uri.getScheme())) c.setRequestProperty("Proxy-Authorization", proxy.authorization()); // no 407 round trip
            PasswordAuthentication credentials = new PasswordAuthentication(proxy.user(),
                    (proxy.password() == null ? "" : proxy.password()).toCharArray());
            c.setAuthenticator(new Authenticator() { // CONNECT: the JDK answers the proxy's 407 with these
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return getRequestorType() == RequestorType.PROXY ? credentials : null;
                }
            });
        }
        return c;
    }

    /**
     * What {@link #count} saw: the status and the body's length.
     *
     * @param status    the HTTP status
     * @param bodyBytes the body's length, counted as it was read and dropped
     */
    public record Counted(int status, long bodyBytes) {}

    /**
     * GETs {@code uri} and counts its body as it reads it, keeping none of it: for work that needs
     * only the size. The whole request, connecting and the last byte of the body included, must end
     * within {@code deadline}, however slowly the server answers (see {@link RequestDeadline}); the
     * body may be at most {@code maxBodyBytes} long.
     *
     * @throws io.railyard.loop.DeadlineExceededException when the deadline passes
     * @throws io.railyard.loop.BodyLimitException when the body is longer than {@code maxBodyBytes}
     * @throws IOException when the connection fails or a timeout elapses
     * @throws IllegalArgumentException when the URI is not http or https
     */
    public Counted count(URI uri, Duration deadline, long maxBodyBytes) throws IOException {
        String scheme = uri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("not an http or https URL: " + uri);
        }
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
        try (RequestDeadline d = new RequestDeadline(c, deadline)) {
            prepare(c, d);
            try {
                int status = c.getResponseCode();
                InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
                if (in == null) return new Counted(status, 0);
                byte[] buffer = new byte[16 * 1024];
                long total = 0;
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    total += n;
                    if (total > maxBodyBytes) {
                        c.disconnect(); // the rest is never read: the connection cannot be reused
                        throw new io.railyard.loop.BodyLimitException("the response to GET " + uri + " has a body over its limit of "
                                + maxBodyBytes + " bytes");
                    }
                    if (d.expired()) throw d.exceeded("GET " + uri);
                }
                in.close(); // read to the end: the connection goes back to the keep-alive cache
                return new Counted(status, total);
            } catch (io.railyard.loop.BodyLimitException | io.railyard.loop.DeadlineExceededException e) {
                throw e;
            } catch (IOException e) {
                c.disconnect();
                throw d.cause(e, "GET " + uri);
            }
        }
    }
}
