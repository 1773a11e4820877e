package io.railyard.server;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFuture;
import io.railyard.loop.LoopHttpClient;
import io.railyard.loop.LoopHttpRequest;
import io.railyard.loop.LoopPool;
import io.railyard.loop.LoopTcp;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Warms a freshly started server up by sending it requests from inside its own JVM, before it
 * announces that it serves. A server JVM seconds old still interprets and compiles its request path;
 * a benchmark's first (cold) trial would then measure the server's start-up as the client's
 * slowness. Warming it in its own process keeps the client cold and the client's CPU figures clean.
 *
 * <p>Called once per server, by {@link ServerMain#serve} before it announces the server.
 */
final class ServerWarmup {
    private ServerWarmup() {}

    /** Echo connections opened at a time while warming the echo port: well under the listen backlog. */
    private static final int ECHO_BATCH = 1000;

    /**
     * Sends {@code requests} GETs (timer-delayed and immediate ones) to the server, 256 at a time;
     * then, if it has an echo port, opens and closes {@code requests / 4} echo connections in
     * batches, so that its accept path keeps up with thousands of connections arriving at once
     * (a cold one did not: the listen queue overflowed and clients waited for SYN retries).
     * Echo connections send nothing, and all are closed, so an echo barrier is left as it was.
     */
    static void run(LatencyServer server, int requests) throws InterruptedException {
        http(server, requests);
        if (server.echoPort() > 0) echo(server, requests / 4);
    }

    private static void http(LatencyServer server, int requests) throws InterruptedException {
        String origin = server.origin();
        List<LoopHttpRequest> kinds = List.of(LoopHttpRequest.get(origin + "/delay/1"),
                LoopHttpRequest.get(origin + "/delay/0?bytes=1024"), LoopHttpRequest.get(origin + "/bytes/1024"));
        try (LoopPool pool = new LoopPool(PoolSpec.of(256))) {
            List<TaskFuture<Integer>> fs = new ArrayList<>(requests);
            for (int i = 0; i < requests; i++) {
                LoopHttpRequest r = kinds.get(i % kinds.size());
                fs.add(pool.submitAsync(ctx -> ctx.facility(LoopHttpClient.class).send(r).thenApply(x -> x.status())));
            }
            for (TaskFuture<Integer> f : fs) {
                try {
                    f.get(60, TimeUnit.SECONDS);
                } catch (ExecutionException | TimeoutException e) {
                    throw new IllegalStateException("the server failed its own warm-up: " + e.getMessage(), e);
                }
            }
        }
    }

    private static void echo(LatencyServer server, int connections) throws InterruptedException {
        try (LoopPool pool = new LoopPool(PoolSpec.of(ECHO_BATCH))) {
            for (int done = 0; done < connections; done += ECHO_BATCH) {
                List<TaskFuture<Void>> batch = new ArrayList<>(ECHO_BATCH);
                for (int i = 0; i < Math.min(ECHO_BATCH, connections - done); i++)
                    batch.add(pool.submitAsync(ctx -> ctx.facility(LoopTcp.class).connect(server.options().host(), server.echoPort())
                            .thenCompose(c -> c.close())));
                for (TaskFuture<Void> f : batch) {
                    try {
                        f.get(60, TimeUnit.SECONDS);
                    } catch (ExecutionException | TimeoutException e) {
                        throw new IllegalStateException("the server failed its own echo warm-up: " + e.getMessage(), e);
                    }
                }
            }
        }
        // closed on this side is not yet closed on the server's: wait until the server has seen every
        // warm-up connection go, so that an echo barrier (which these may have opened) is reset
        // before a client's run, which must find it closed until its own C connections are open
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.stats().echoConnections().current() > 0 && System.nanoTime() < deadline) Thread.sleep(2);
    }
}
