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
                .thenCompose(c -> s.round(c, 0, 0L).whenComplete((echoed, e) -> c.close()));
    }

    /** One connection's rounds; lives on the loop. */
    private record Session(LoopTimers timers, LoopPrimitives primitives, int id, int rounds, Duration pause,
                           int connections, long deadlineMillis) {

        CompletableFuture<Long> round(TcpConnection c, int r, long echoed) {
            if (r == rounds) return CompletableFuture.completedFuture(echoed);
            byte[] line = ("connection " + id + " round " + r + "\n").getBytes(StandardCharsets.US_ASCII);
            long wait = r == 0 ? deadlineMillis - System.currentTimeMillis() : 60_000;
            if (wait <= 0) return CompletableFuture.failedFuture(EchoClient.notHeld(connections));
            CompletableFuture<byte[]> echo = c.write(line).thenCompose(x -> c.readExactly(line.length));
            return primitives.timeout(echo, Duration.ofMillis(wait))
                    .handle((back, e) -> {
                        if (e == null) {
                            if (!Arrays.equals(line, back))
                                throw new CompletionException(new IOException("echo mismatch on connection " + id + " round " + r));
                            return back.length;
                        }
                        Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                        if (cause instanceof TimeoutException)
                            cause = r == 0 ? EchoClient.notHeld(connections)
                                    : new SocketTimeoutException("no echo on connection " + id + " round " + r + " for " + wait + " ms");
                        throw new CompletionException(cause);
                    })
                    .thenCompose(n -> timers.sleep(pause).thenCompose(x -> round(c, r + 1, echoed + n)));
        }
    }
}
