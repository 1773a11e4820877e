package io.railyard.bench.http;

import io.railyard.core.TaskContext;
import io.railyard.loop.LoopPrimitives;
import io.railyard.loop.LoopTcp;
import io.railyard.loop.LoopTimers;
import io.railyard.loop.TcpConnection;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;

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
        Session s = new Session(ctx.facility(LoopTimers.class), ctx.facility(LoopPrimitives.class), id, rounds,
                Duration.ofMillis(pauseMs), connections, deadlineMillis);
        return ctx.facility(LoopTcp.class).connect(host, port, Duration.ofMillis(connectMs))
                .thenCompose(c -> s.start(c).whenComplete((echoed, e) -> c.close()));
    }

    /**
     * One connection's rounds; lives on the loop. Each round starts from the previous one's
     * callback and the rounds share one result future, so a connection keeps only its current
     * round's futures alive, not a chain growing with every round (10,000 connections hold their
     * rounds at once: what each keeps is the client's memory).
     */
    private static final class Session {
        private static final Duration ROUND_WAIT = Duration.ofSeconds(60);
        private final LoopTimers timers;
        private final LoopPrimitives primitives;
        private final int id, rounds, connections;
        private final Duration pause;
        private final long deadlineMillis;
        private final CompletableFuture<Long> result = new CompletableFuture<>();
        private TcpConnection c;
        private long echoed;

        Session(LoopTimers timers, LoopPrimitives primitives, int id, int rounds, Duration pause, int connections, long deadlineMillis) {
            this.timers = timers;
            this.primitives = primitives;
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
                result.complete(echoed);
                return;
            }
            byte[] line = ("connection " + id + " round " + r + "\n").getBytes(StandardCharsets.US_ASCII);
            long wait = r == 0 ? deadlineMillis - System.currentTimeMillis() : ROUND_WAIT.toMillis();
            if (wait <= 0) {
                result.completeExceptionally(EchoClient.notHeld(connections));
                return;
            }
            CompletableFuture<byte[]> echo = c.write(line).thenCompose(x -> c.readExactly(line.length));
            primitives.timeout(echo, r == 0 ? Duration.ofMillis(wait) : ROUND_WAIT).whenComplete((back, e) -> {
                if (e != null) {
                    Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                    if (cause instanceof TimeoutException)
                        cause = r == 0 ? EchoClient.notHeld(connections)
                                : new SocketTimeoutException("no echo on connection " + id + " round " + r + " for " + wait + " ms");
                    result.completeExceptionally(cause);
                } else if (!Arrays.equals(line, back)) {
                    result.completeExceptionally(new IOException("echo mismatch on connection " + id + " round " + r));
                } else {
                    echoed += back.length;
                    timers.sleep(pause).whenComplete((x, slept) -> {
                        if (slept != null) result.completeExceptionally(slept);
                        else round(r + 1);
                    });
                }
            });
        }
    }
}
