package io.railyard.bench.http;

import io.railyard.core.TaskContext;
import io.railyard.core.TaskFuture;
import io.railyard.core.time.TimeSource;
import io.railyard.loop.LoopTcp;
import io.railyard.loop.LoopTimers;
import io.railyard.loop.TcpConnection;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * The asynchronous side of the {@code connections} workload, for the {@code loop} model: the same
 * protocol as {@link EchoClient} (R rounds of: write a line, read it back, pause), on the loop's
 * non-blocking TCP, so a connection that waits costs no thread at all. The first echo must come
 * back by the run's deadline, else the connection fails with {@link EchoClient.HoldFailedException}.
 *
 * <p>Stateless; call {@link #hold} from a task running on the loop.
 */
public final class LoopEchoClient {
    private LoopEchoClient() {}

    /** Opens a connection, does the rounds, closes; the stage yields the bytes echoed. */
    public static CompletionStage<Long> hold(TaskContext ctx, String host, int port, int id, int rounds, int pauseMs,
                                             int connections, long deadlineMillis) {
        long connectMs = Math.max(1, Math.min(30_000, deadlineMillis - System.currentTimeMillis()));
        Session s = new Session(ctx.facility(LoopTimers.class), id, rounds, Duration.ofMillis(pauseMs), connections, deadlineMillis);
        return ctx.facility(LoopTcp.class).connect(host, port, Duration.ofMillis(connectMs)).thenCompose(s::start);
    }

    /**
     * One connection's rounds; lives on the loop. Each round writes its line, waits for the echo
     * with a timer beside it, then pauses on a timer and starts the next round; the session itself
     * is the echo's callback and both timers' action, and the rounds share one result future, so a
     * connection keeps alive only its current round's read, write and timer, not a chain of stages
     * per round (10,000 connections hold their rounds at once: what each keeps is the client's
     * memory). The connection is closed before the result completes, whatever the outcome.
     */
    private static final class Session implements BiConsumer<byte[], Throwable>, Runnable {
        private static final long ROUND_WAIT_MS = 60_000;
        private final LoopTimers timers;
        private final int id, rounds, connections;
        private final Duration pause;
        private final long deadlineMillis;
        private final CompletableFuture<Long> result = new CompletableFuture<>();
        private TcpConnection c;
        private long echoed;
        /** The current round, its line, how long its echo may take (ms), its write. */
        private int round;
        private byte[] line;
        private long wait;
        private CompletableFuture<Void> written;
        /** The echo's deadline while an echo is awaited; null while pausing. */
        private TimeSource.Cancellable echoTimer;

        Session(LoopTimers timers, int id, int rounds, Duration pause, int connections, long deadlineMillis) {
            this.timers = timers;
            this.id = id;
            this.rounds = rounds;
            this.pause = pause;
            this.connections = connections;
            this.deadlineMillis = deadlineMillis;
        }

        CompletableFuture<Long> start(TcpConnection c) {
            this.c = c;
            round(0);
            return result;
        }

        private void round(int r) {
            if (r == rounds) {
                c.close();
                result.complete(echoed);
                return;
            }
            round = r;
            line = ("connection " + id + " round " + r + "\n").getBytes(StandardCharsets.US_ASCII);
            wait = r == 0 ? deadlineMillis - System.currentTimeMillis() : ROUND_WAIT_MS;
            if (wait <= 0) {
                fail(EchoClient.notHeld(connections));
                return;
            }
            try {
                // the read waits for the echo while the write is under way: one read, one write, one timer
                written = c.write(line);
                echoTimer = timers.schedule(Duration.ofMillis(wait), this);
                c.readExactly(line.length).whenComplete(this);
            } catch (RuntimeException e) { // the loop is shutting down
                fail(e);
            }
        }

        /** The echo came back, or the read failed. */
        @Override
        public void accept(byte[] back, Throwable e) {
            if (result.isDone()) return; // the echo's deadline passed first
            echoTimer.cancel();
            echoTimer = null;
            if (e != null) {
                fail(writeFailure() != null ? writeFailure() : TaskFuture.unwrap(e));
            } else if (!Arrays.equals(line, back)) {
                fail(new IOException("echo mismatch on connection " + id + " round " + round));
            } else {
                echoed += back.length;
                line = null;
                written = null;
                try {
                    timers.schedule(pause, this);
                } catch (RuntimeException shuttingDown) {
                    fail(shuttingDown);
                }
            }
        }

        /** A timer: the echo's deadline passed (an echo awaited), or the pause ended. */
        @Override
        public void run() {
            if (result.isDone()) return;
            if (echoTimer == null) {
                round(round + 1);
                return;
            }
            echoTimer = null;
            Throwable w = writeFailure();
            fail(w != null ? w : round == 0 ? EchoClient.notHeld(connections)
                    : new SocketTimeoutException("no echo on connection " + id + " round " + round + " for " + wait + " ms"));
        }

        private Throwable writeFailure() {
            CompletableFuture<Void> w = written;
            return w != null && w.isCompletedExceptionally() ? w.exceptionNow() : null;
        }

        private void fail(Throwable cause) {
            c.close();
            result.completeExceptionally(cause);
        }
    }
}
