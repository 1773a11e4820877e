package io.railyard.server;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Thousands of connections held open at once against one server thread: every one gets its
 * delayed answer, and the gauges saw them all at once. Bounded: 3,000 HTTP and 2,000 echo sockets
 * (6,000 and 4,000 file descriptors with the server's side), well under this machine's 20,000.
 */
class ManyConnectionsTest {

    static final int HTTP_CONNECTIONS = 3000;
    static final int ECHO_CONNECTIONS = 2000;

    @Test
    void holdsThousandsOfConnectionsEachWithARequestInFlight() throws Exception {
        try (LatencyServer s = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1))) {
            List<SocketChannel> open = new ArrayList<>();
            try {
                for (int i = 0; i < HTTP_CONNECTIONS; i++) open.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", s.port())));
                // every request waits 3 s on the server: all are in flight together while we send the rest
                byte[] request = "GET /delay/3000?bytes=100 HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                for (SocketChannel c : open) c.write(ByteBuffer.wrap(request));
                for (SocketChannel c : open) {
                    String head = readResponse(c, 100);
                    assertTrue(head.startsWith("HTTP/1.1 200 OK"), head);
                }
                ServerStats stats = s.stats();
                assertEquals(HTTP_CONNECTIONS, stats.connections().current());
                assertEquals(HTTP_CONNECTIONS, stats.connections().peak());
                assertEquals(HTTP_CONNECTIONS, stats.requests().total());
                assertEquals(0, stats.requests().current());
                assertTrue(stats.requests().peak() > HTTP_CONNECTIONS / 2,
                        "most requests were in flight at once (3 s each), peak " + stats.requests().peak());
            } finally {
                for (SocketChannel c : open) c.close();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (s.stats().connections().current() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
            assertEquals(0, s.stats().connections().current());
        }
    }

    @Test
    void theEchoBarrierHoldsEveryEchoUntilAllConnectionsAreOpen() throws Exception {
        try (LatencyServer s = LatencyServer.start(ServerOptions.defaults().withEchoBarrier(ECHO_CONNECTIONS))) {
            for (int generation = 0; generation < 2; generation++) { // the barrier re-arms once all have closed
                List<SocketChannel> open = new ArrayList<>();
                try {
                    for (int i = 0; i < ECHO_CONNECTIONS - 1; i++) {
                        SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", s.echoPort()));
                        c.write(ByteBuffer.wrap(("hello " + i + "\n").getBytes(StandardCharsets.US_ASCII)));
                        open.add(c);
                    }
                    // one short of the barrier: nothing comes back
                    SocketChannel first = open.get(0);
                    first.configureBlocking(false);
                    Thread.sleep(300);
                    assertEquals(0, first.read(ByteBuffer.allocate(64)), "echoed before the barrier opened");
                    first.configureBlocking(true);
                    SocketChannel last = SocketChannel.open(new InetSocketAddress("127.0.0.1", s.echoPort()));
                    open.add(last);
                    last.write(ByteBuffer.wrap(("hello " + (ECHO_CONNECTIONS - 1) + "\n").getBytes(StandardCharsets.US_ASCII)));
                    for (int i = 0; i < open.size(); i++) assertEquals("hello " + i + "\n", readLine(open.get(i)));
                    // after the barrier, echo is immediate
                    last.write(ByteBuffer.wrap("again\n".getBytes(StandardCharsets.US_ASCII)));
                    assertEquals("again\n", readLine(last));
                    assertEquals(ECHO_CONNECTIONS, s.stats().echoConnections().current());
                } finally {
                    for (SocketChannel c : open) c.close();
                }
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (s.stats().echoConnections().current() > 0 && System.nanoTime() < deadline) Thread.sleep(10);
                assertEquals(0, s.stats().echoConnections().current());
            }
        }
    }

    /** Reads one response head and its body of {@code bodyLength} bytes; returns the head. */
    private static String readResponse(SocketChannel c, int bodyLength) throws IOException {
        StringBuilder head = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (!head.toString().endsWith("\r\n\r\n")) {
            one.clear();
            if (c.read(one) < 0) throw new IOException("closed after " + head);
            head.append((char) one.get(0));
        }
        ByteBuffer body = ByteBuffer.allocate(bodyLength);
        while (body.hasRemaining()) if (c.read(body) < 0) throw new IOException("closed in body");
        return head.toString();
    }

    private static String readLine(SocketChannel c) throws IOException {
        StringBuilder line = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (!line.toString().endsWith("\n")) {
            one.clear();
            if (c.read(one) < 0) throw new IOException("closed after " + line);
            line.append((char) one.get(0));
        }
        return line.toString();
    }
}
