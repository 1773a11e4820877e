package io.railyard.crawl;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A real HTTP server (the JDK's) at 127.0.0.1 whose pages a test sets one by one: status, headers,
 * body bytes exactly as given (compressed, in any charset). It keeps the request headers of every
 * request, by path. Unknown paths are 404.
 *
 * <p>Thread-safe.
 */
final class TestSite implements AutoCloseable {

    /** One answer. */
    record Page(int status, Map<String, String> headers, byte[] body) {}

    /** One request as received. */
    record Request(String path, Headers headers) {
        String header(String name) {
            return headers.getFirst(name);
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<String, Function<HttpExchange, Page>> pages = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();

    TestSite() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 200);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    String origin() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    InetSocketAddress address() {
        return server.getAddress();
    }

    TestSite page(String path, int status, Map<String, String> headers, byte[] body) {
        Page p = new Page(status, headers, body);
        pages.put(path, x -> p);
        return this;
    }

    TestSite html(String path, String html) {
        return page(path, 200, Map.of("Content-Type", "text/html; charset=utf-8"), html.getBytes(StandardCharsets.UTF_8));
    }

    TestSite dynamic(String path, Function<HttpExchange, Page> answer) {
        pages.put(path, answer);
        return this;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    List<String> paths() {
        return requests.stream().map(Request::path).toList();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath() + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
            requests.add(new Request(path, ex.getRequestHeaders()));
            Function<HttpExchange, Page> f = pages.get(path);
            Page p = f == null ? new Page(404, Map.of("Content-Type", "text/plain"), "not here".getBytes(StandardCharsets.UTF_8)) : f.apply(ex);
            p.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            ex.sendResponseHeaders(p.status(), p.body().length == 0 ? -1 : p.body().length);
            if (p.body().length > 0) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(p.body());
                }
            }
        }
    }

    static byte[] gzip(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** deflate: zlib-wrapped (as RFC 9110 says) or raw (as some servers send it). */
    static byte[] deflate(byte[] b, boolean raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, new java.util.zip.Deflater(6, raw))) {
            z.write(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.close();
    }
}
