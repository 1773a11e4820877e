package io.railyard.bench.server;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFuture;
import io.railyard.loop.LoopHttpClient;
import io.railyard.loop.LoopHttpRequest;
import io.railyard.loop.LoopPool;

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
 * <p>Called once, on the main thread of {@link ServerMain}.
 */
final class ServerWarmup {
    private ServerWarmup() {}

    /** Sends {@code requests} GETs (timer-delayed and immediate ones) to the server, 64 at a time. */
    static void run(LatencyServer server, int requests) throws InterruptedException {
        String origin = server.origin();
        List<LoopHttpRequest> kinds = List.of(LoopHttpRequest.get(origin + "/delay/1"),
                LoopHttpRequest.get(origin + "/delay/0?bytes=1024"), LoopHttpRequest.get(origin + "/bytes/1024"));
        try (LoopPool pool = new LoopPool(PoolSpec.of(64))) {
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
}
