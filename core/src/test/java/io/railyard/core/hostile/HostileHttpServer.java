package io.railyard.core.hostile;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real HTTP server that misbehaves on purpose, for the tests of railyard's HTTP clients: on
 * 127.0.0.1, an ephemeral port, one virtual thread per connection, one response per connection.
 * <ul>
 *   <li>{@code /drip/N?every=MS}: announces N body bytes, then sends one byte every MS ms (default 200);</li>
 *   <li>{@code /drip-head?every=MS}: sends its status line and headers one byte every MS ms, forever;</li>
 *   <li>{@code /endless}: a chunked body that never ends, 64 KiB chunks as fast as the client reads;</li>
 *   <li>{@code /huge/N}: a body of N bytes announced by Content-Length, sent as fast as read;</li>
 *   <li>{@code /silent}: reads the request and never answers;</li>
 *   <li>anything else: 200 with a body of 2 bytes.</li>
 * </ul>
 * {@link #openConnections()} says how many clients are still connected, so a test can see that a
 * client let go of a connection it gave up on. Thread-safe; {@link #close()} ends everything.
 */
public final class HostileHttpServer implements AutoCloseable {

    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytesSent = new AtomicLong();
    private final Thread acceptor;

    public HostileHttpServer() {
        try {
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        acceptor = Thread.ofPlatform().daemon().name("hostile-http-accept").start(this::accept);
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String origin() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    public String url(String path) {
        return origin() + path;
    }

    /** Clients connected now. */
    public int openConnections() {
        open.removeIf(Socket::isClosed);
        return open.size();
    }

    /** Body bytes written so far, over all connections. */
    public long bytesSent() {
        return bytesSent.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket s;
            try {
                s = listener.accept();
            } catch (IOException e) {
                return;
            }
            open.add(s);
            Thread.ofVirtual().name("hostile-http-conn").start(() -> serve(s));
        }
    }

    private void serve(Socket s) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            String requestLine = in.readLine();
            if (requestLine == null) return;
            String line;
            while ((line = in.readLine()) != null && !line.isEmpty()) {
                // headers: ignored
            }
            String target = requestLine.split(" ")[1];
            String path = target.contains("?") ? target.substring(0, target.indexOf('?')) : target;
            long every = query(target, "every", 200);
            OutputStream out = s.getOutputStream();
            if (path.startsWith("/drip/")) {
                long n = Long.parseLong(path.substring("/drip/".length()));
                head(out, "Content-Length: " + n);
                for (long i = 0; i < n; i++) {
                    Thread.sleep(every);
                    out.write('x');
                    out.flush();
                    bytesSent.incrementAndGet();
                }
            } else if (path.equals("/drip-head")) {
                byte[] head = "HTTP/1.1 200 OK\r\nX-Slow: ".getBytes(StandardCharsets.ISO_8859_1);
                for (byte b : head) {
                    out.write(b);
                    out.flush();
                    Thread.sleep(every);
                }
                while (true) {
                    out.write('a');
                    out.flush();
                    Thread.sleep(every);
                }
            } else if (path.equals("/endless")) {
                head(out, "Transfer-Encoding: chunked");
                byte[] chunk = new byte[64 * 1024];
                byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                while (true) {
                    out.write(size);
                    out.write(chunk);
                    out.write('\r');
                    out.write('\n');
                    bytesSent.addAndGet(chunk.length);
                }
            } else if (path.startsWith("/huge/")) {
                long n = Long.parseLong(path.substring("/huge/".length()));
                head(out, "Content-Length: " + n);
                byte[] block = new byte[64 * 1024];
                for (long left = n; left > 0; ) {
                    int k = (int) Math.min(block.length, left);
                    out.write(block, 0, k);
                    left -= k;
                    bytesSent.addAndGet(k);
                }
                out.flush();
            } else if (path.equals("/silent")) {
                while (in.read() >= 0) {
                    // never answer; wait for the client to hang up
                }
            } else {
                head(out, "Content-Length: 2");
                out.write("ok".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the client hung up, or the server closed: either ends this connection
        } finally {
            open.remove(s);
        }
    }

    private static void head(OutputStream out, String framing) throws IOException {
        out.write(("HTTP/1.1 200 OK\r\nConnection: close\r\n" + framing + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static long query(String target, String name, long fallback) {
        int q = target.indexOf('?');
        if (q < 0) return fallback;
        for (String kv : target.substring(q + 1).split("&")) {
            if (kv.startsWith(name + "=")) return Long.parseLong(kv.substring(name.length() + 1));
        }
        return fallback;
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
