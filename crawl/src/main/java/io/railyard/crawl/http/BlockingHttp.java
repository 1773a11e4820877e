package io.railyard.crawl.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URLConnection;
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
 * {@link Options#maxBodyBytes()}. No proxy is used: benchmarks talk to loopback.
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
        String scheme = uri.getScheme();
        if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme)) {
            throw new IllegalArgumentException("not an http or https URL: " + uri);
        }
        URLConnection opened = uri.toURL().openConnection(Proxy.NO_PROXY);
        HttpURLConnection c = (HttpURLConnection) opened;
        c.setInstanceFollowRedirects(false);
        c.setUseCaches(false);
        c.setConnectTimeout(connectMillis);
        c.setReadTimeout(readMillis);
        c.setRequestProperty("User-Agent", options.userAgent());
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
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setConnectTimeout(Math.min(connectMillis, d.millisLeft()));
            c.setReadTimeout(Math.min(readMillis, d.millisLeft()));
            c.setRequestProperty("User-Agent", options.userAgent());
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
                if (d.expired()) {
                    io.railyard.loop.DeadlineExceededException x = d.exceeded("GET " + uri);
                    x.initCause(e);
                    throw x;
                }
                throw e;
            }
        }
    }
}
