package io.railyard.bench.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The blocking side of the {@code connections} workload: one long-lived connection to the latency
 * server's echo port, doing R rounds (write a line, read it back, pause), so it is held R x pause. The calling thread blocks
 * throughout, so a model holds as many connections as it has threads that can block at once.
 *
 * <p>The first echo comes back only when the server's echo barrier has seen all C connections
 * open together; if the model cannot hold C, nobody gets an echo, and every connection fails at the
 * shared deadline with {@link HoldFailedException} rather than hanging.
 *
 * <p>Stateless; every method may be called from any thread.
 */
public final class EchoClient {
    private EchoClient() {}

    /** This connection waited for the barrier past the run's deadline: C were never open at once. */
    public static final class HoldFailedException extends IOException {
        public HoldFailedException(String message) {
            super(message);
        }
    }

    /**
     * Opens a connection, does {@code rounds} echo rounds each followed by a {@code pauseMs} pause, closes.
     *
     * @param connections    how many connections the run holds (for the error message)
     * @param deadlineMillis wall-clock time ({@link System#currentTimeMillis()}) by which the first
     *                       echo must have come back
     * @return bytes echoed
     */
    public static long hold(String host, int port, int id, int rounds, int pauseMs, int connections, long deadlineMillis)
            throws IOException, InterruptedException {
        // A SocketChannel's socket: its streams read and write the channel itself, with fewer calls
        // between this method and the wait for bytes than a plain Socket's. A parked virtual thread
        // keeps every frame beneath the park on the heap, and all of them wait at the barrier at once
        try (SocketChannel channel = SocketChannel.open()) {
            Socket s = channel.socket();
            s.connect(new InetSocketAddress(host, port), (int) Math.max(1, Math.min(30_000, deadlineMillis - System.currentTimeMillis())));
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            byte[] back = new byte[0];
            long echoed = 0;
            for (int r = 0; r < rounds; r++) {
                byte[] line = ("connection " + id + " round " + r + "\n").getBytes(StandardCharsets.US_ASCII);
                out.write(line);
                long wait = r == 0 ? deadlineMillis - System.currentTimeMillis() : 60_000;
                if (wait <= 0) throw notHeld(connections);
                s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, wait));
                if (back.length < line.length) back = new byte[line.length];
                int got = 0;
                try {
                    // read here, not in a helper method: one frame fewer at every park
                    while (got < line.length) {
                        int n = in.read(back, got, line.length - got);
                        if (n < 0) break; // closed early: the comparison below fails
                        got += n;
                    }
                } catch (SocketTimeoutException e) {
                    if (r == 0) throw notHeld(connections);
                    throw e;
                }
                if (!Arrays.equals(line, 0, line.length, back, 0, got)) throw new IOException("echo mismatch on connection " + id + " round " + r);
                echoed += got;
                Thread.sleep(pauseMs);
            }
            return echoed;
        }
    }

    /** The failure of a connection that got no echo by the deadline: C were never open at once. */
    public static HoldFailedException notHeld(int connections) {
        return new HoldFailedException("the echo server never saw " + connections + " connections open at once before the deadline: "
                + "this model could not hold " + connections + " connections");
    }
}
