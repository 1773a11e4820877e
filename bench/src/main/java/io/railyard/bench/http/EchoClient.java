package io.railyard.bench.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
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
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), (int) Math.max(1, Math.min(30_000, deadlineMillis - System.currentTimeMillis())));
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            long echoed = 0;
            for (int r = 0; r < rounds; r++) {
                byte[] line = ("connection " + id + " round " + r + "\n").getBytes(StandardCharsets.US_ASCII);
                out.write(line);
                out.flush();
                long wait = r == 0 ? deadlineMillis - System.currentTimeMillis() : 60_000;
                if (wait <= 0) throw notHeld(connections);
                s.setSoTimeout((int) Math.min(Integer.MAX_VALUE, wait));
                byte[] back;
                try {
                    back = in.readNBytes(line.length);
                } catch (SocketTimeoutException e) {
                    if (r == 0) throw notHeld(connections);
                    throw e;
                }
                if (!Arrays.equals(line, back)) throw new IOException("echo mismatch on connection " + id + " round " + r);
                echoed += back.length;
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
