package io.railyard.loop;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A tiny HTTP/1.1 server on a plain {@link ServerSocket} that writes exact byte framings, so the
 * client's parsing is tested against the wire rather than against another HTTP library. One
 * platform thread per connection; every response carries {@code X-Conn}, the connection's number.
 *
 * <ul>
 *   <li>{@code /length}: {@code Content-Length} body {@code hello world}, written in two pieces</li>
 *   <li>{@code /chunked}: chunked body {@code hello chunked world} in three chunks with an extension
 *       and a trailer, written byte-group by byte-group with flushes</li>
 *   <li>{@code /close}: HTTP/1.1, no length, {@code Connection: close}, body ends when the socket closes</li>
 *   <li>{@code /http10}: HTTP/1.0, no length, body ends when the socket closes</li>
 *   <li>{@code /big}: a 1 MiB {@code Content-Length} body in 64 KiB writes</li>
 *   <li>{@code /head}: {@code Content-Length: 1000} and, for HEAD, no body</li>
 *   <li>{@code /nocontent}: 204</li>
 *   <li>{@code /continue}: a {@code 100 Continue} before the real 200</li>
 *   <li>{@code /silent}: reads the request, never answers</li>
 *   <li>{@code /truncated}: promises 100 bytes, sends 10, closes</li>
 *   <li>a request with {@code X-Drop-If-Reused: 1} on a connection that already answered one is dropped
 *       (socket closed without a response), as a server does when its keep-alive timer fires</li>
 * </ul>
 */
final class RawHttpServer implements AutoCloseable {

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    RawHttpServer() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "raw-http-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    int port() {
        return server.getLocalPort();
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    int requests() {
        return requests.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                int id = connections.incrementAndGet();
                open.add(s);
                Thread t = new Thread(() -> serve(s, id), "raw-http-conn-" + id);
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket s, int id) {
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            int served = 0;
            while (true) {
                Map<String, String> headers = new HashMap<>();
                String requestLine = readLine(in);
                if (requestLine == null) return;
                String line;
                while ((line = readLine(in)) != null && !line.isEmpty()) {
                    int colon = line.indexOf(':');
                    headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
                }
                int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
                in.readNBytes(length);
                requests.incrementAndGet();
                String[] parts = requestLine.split(" ");
                String method = parts[0], path = parts[1];
                if ("1".equals(headers.get("x-drop-if-reused")) && served > 0) return;
                served++;
                String conn = "X-Conn: " + id + "\r\n";
                switch (path) {
                    case "/length" -> {
                        write(out, "HTTP/1.1 200 OK\r\n" + conn + "Content-Length: 11\r\nContent-Type: text/plain\r\n\r\nhello");
                        write(out, " world");
                    }
                    case "/chunked" -> {
                        write(out, "HTTP/1.1 200 OK\r\n" + conn + "Transfer-Encoding: chunked\r\n\r\n");
                        write(out, "6;ext=1\r\nhello \r\n");
                        write(out, "8\r\nchu");
                        write(out, "nked \r\n");
                        write(out, "5\r\nworld\r\n0\r\nX-Trailer: done\r\n\r\n");
                    }
                    case "/close" -> {
                        write(out, "HTTP/1.1 200 OK\r\n" + conn + "Connection: close\r\n\r\nuntil the ");
                        write(out, "server closes");
                        return;
                    }
                    case "/http10" -> {
                        write(out, "HTTP/1.0 200 OK\r\n" + conn + "\r\nold style body");
                        return;
                    }
                    case "/big" -> {
                        write(out, "HTTP/1.1 200 OK\r\n" + conn + "Content-Length: " + (1 << 20) + "\r\n\r\n");
                        byte[] block = new byte[64 << 10];
                        for (int i = 0; i < 16; i++) {
                            java.util.Arrays.fill(block, (byte) ('a' + i));
                            out.write(block);
                            out.flush();
                        }
                    }
                    case "/head" -> write(out, "HTTP/1.1 200 OK\r\n" + conn + "Content-Length: 1000\r\n\r\n"
                            + (method.equals("HEAD") ? "" : "x".repeat(1000)));
                    case "/nocontent" -> write(out, "HTTP/1.1 204 No Content\r\n" + conn + "\r\n");
                    case "/continue" -> {
                        write(out, "HTTP/1.1 100 Continue\r\n\r\n");
                        write(out, "HTTP/1.1 200 OK\r\n" + conn + "Content-Length: 2\r\n\r\nok");
                    }
                    case "/silent" -> {
                        while (in.read() >= 0) {
                            // hold the connection open without answering until the client gives up
                        }
                        return;
                    }
                    case "/truncated" -> {
                        write(out, "HTTP/1.1 200 OK\r\n" + conn + "Content-Length: 100\r\n\r\n0123456789");
                        return;
                    }
                    default -> write(out, "HTTP/1.1 200 OK\r\n" + conn + "Content-Length: " + path.length() + "\r\n\r\n" + path);
                }
            }
        } catch (IOException e) {
            // the client went away
        } finally {
            open.remove(s);
        }
    }

    private static void write(OutputStream out, String s) throws IOException {
        out.write(s.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        try {
            Thread.sleep(2); // let each piece travel on its own, so the client parses partial input
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] b = line.toByteArray();
                int n = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, n, StandardCharsets.ISO_8859_1);
            }
            line.write(c);
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) s.close();
    }
}
