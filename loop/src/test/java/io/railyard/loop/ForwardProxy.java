package io.railyard.loop;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP forward proxy for tests, on a plain {@link ServerSocket} at 127.0.0.1: absolute-form
 * requests ({@code GET http://host/path}) are forwarded to the target with {@code Connection:
 * close} and the answer streamed back; {@code CONNECT host:port} opens a tunnel (bytes copied both
 * ways). It resolves host names itself, from {@link #resolveAs} first (names nobody else knows)
 * and then the system resolver, so a client that reaches such a name proves it let the proxy
 * resolve it. It sees (and keeps, in {@link #seen}) every request line, and with {@link #requireCredentials}
 * answers 407 to a request without them. One thread per client connection; one request per
 * connection (it answers with {@code Connection: close}).
 *
 * <p>Thread-safe.
 */
public final class ForwardProxy implements AutoCloseable {

    private final ServerSocket server;
    private final Map<String, InetSocketAddress> names = new ConcurrentHashMap<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile String credentials;

    public ForwardProxy() throws IOException {
        server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "forward-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@code http://127.0.0.1:PORT}. */
    public String url() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Requests to {@code host} (any port) go to {@code target} instead: a name only this proxy resolves. */
    public ForwardProxy resolveAs(String host, InetSocketAddress target) {
        names.put(host.toLowerCase(Locale.ROOT), target);
        return this;
    }

    /** Requests must carry {@code Proxy-Authorization: Basic base64(user:password)}, else 407. */
    public ForwardProxy requireCredentials(String user, String password) {
        credentials = "Basic " + java.util.Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Every request line it received, in order ({@code GET http://a.test/x HTTP/1.1}, {@code CONNECT a.test:443 HTTP/1.1}). */
    public List<String> seen() {
        return List.copyOf(seen);
    }

    /** The Proxy-Authorization value of every request ("" when absent). */
    public List<String> authorizations() {
        return List.copyOf(authorizations);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                open.add(s);
                Thread t = new Thread(() -> serve(s), "forward-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return; // closed
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            List<String> head = readHead(in);
            if (head.isEmpty()) return;
            String requestLine = head.getFirst();
            seen.add(requestLine);
            String auth = header(head, "proxy-authorization");
            authorizations.add(auth == null ? "" : auth);
            if (credentials != null && !credentials.equals(auth)) {
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return;
            }
            String[] parts = requestLine.split(" ");
            if (parts.length != 3) return;
            if (parts[0].equals("CONNECT")) tunnel(client, parts[1]);
            else forward(client, head, parts[0], URI.create(parts[1]), parts[2]);
        } catch (IOException e) {
            // the client or the target went away: nothing to answer
        } finally {
            open.remove(client);
        }
    }

    private InetSocketAddress address(String host, int port) {
        InetSocketAddress mapped = names.get(host.toLowerCase(Locale.ROOT));
        return mapped != null ? mapped : new InetSocketAddress(host, port);
    }

    private void tunnel(Socket client, String authority) throws IOException {
        int colon = authority.lastIndexOf(':');
        String host = authority.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(authority.substring(colon + 1));
        try (Socket target = new Socket()) {
            try {
                target.connect(address(host, port), 5_000);
            } catch (IOException e) {
                client.getOutputStream().write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            client.getOutputStream().flush();
            Thread up = new Thread(() -> copy(client, target), "forward-proxy-up");
            up.setDaemon(true);
            up.start();
            copy(target, client);
            try {
                up.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // one side closed
        }
    }

    private void forward(Socket client, List<String> head, String method, URI url, String version) throws IOException {
        int port = url.getPort() < 0 ? 80 : url.getPort();
        try (Socket target = new Socket()) {
            try {
                target.connect(address(url.getHost(), port), 5_000);
            } catch (IOException e) {
                client.getOutputStream().write("HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                return;
            }
            StringBuilder req = new StringBuilder();
            String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
            if (url.getRawQuery() != null) path += "?" + url.getRawQuery();
            req.append(method).append(' ').append(path).append(' ').append(version).append("\r\n");
            for (String h : head.subList(1, head.size())) {
                String name = h.substring(0, Math.max(0, h.indexOf(':'))).strip().toLowerCase(Locale.ROOT);
                if (name.equals("proxy-authorization") || name.equals("proxy-connection") || name.equals("connection")) continue;
                req.append(h).append("\r\n");
            }
            req.append("Connection: close\r\n\r\n");
            target.getOutputStream().write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
            target.getOutputStream().flush();
            // the answer's head with Connection: close (this proxy serves one request per connection), then the body as it comes
            InputStream from = target.getInputStream();
            List<String> answer = readHead(from);
            StringBuilder back = new StringBuilder();
            for (String h : answer) {
                if (h.toLowerCase(Locale.ROOT).startsWith("connection:") || h.toLowerCase(Locale.ROOT).startsWith("keep-alive:")) continue;
                back.append(h).append("\r\n");
            }
            back.append("Connection: close\r\n\r\n");
            OutputStream out = client.getOutputStream();
            out.write(back.toString().getBytes(StandardCharsets.ISO_8859_1));
            from.transferTo(out);
            out.flush();
        }
    }

    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b, prev = -1;
        while ((b = in.read()) != -1) {
            if (b == '\n' && prev == '\r') {
                byte[] l = line.toByteArray();
                String s = new String(l, 0, l.length - 1, StandardCharsets.ISO_8859_1);
                if (s.isEmpty()) return lines;
                lines.add(s);
                line.reset();
                prev = -1;
                continue;
            }
            line.write(b);
            prev = b;
            if (line.size() > 65_536) throw new IOException("head line too long");
        }
        return lines.isEmpty() ? lines : List.of(); // cut before the end of the head
    }

    private static String header(List<String> head, String name) {
        for (String h : head.subList(1, head.size())) {
            int colon = h.indexOf(':');
            if (colon > 0 && h.substring(0, colon).strip().equalsIgnoreCase(name)) return h.substring(colon + 1).strip();
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            try {
                s.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
