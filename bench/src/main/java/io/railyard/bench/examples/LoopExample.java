package io.railyard.bench.examples;

import io.railyard.core.TaskFuture;
import io.railyard.loop.LoopHttpClient;
import io.railyard.loop.LoopHttpRequest;
import io.railyard.loop.LoopPool;

import java.util.ArrayList;
import java.util.List;

/**
 * The example job on the event loop: a non-blocking GET per task, whose continuation runs on the
 * one loop thread, so the shared total needs no lock.
 */
public final class LoopExample {
    private LoopExample() {}

    public static long run(String url, int n, int c) throws Exception {
        long[] total = {0};
        try (LoopPool pool = new LoopPool(c)) {
            List<TaskFuture<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                tasks.add(pool.submitAsync(ctx -> ctx.facility(LoopHttpClient.class)
                        .send(LoopHttpRequest.get(url))
                        .thenApply(response -> {
                            total[0] += response.bodyLength();
                            return response.bodyLength();
                        })));
            }
            for (TaskFuture<Integer> t : tasks) t.get();
        }
        return total[0];
    }

    public static void main(String[] args) throws Exception {
        System.out.println(run(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2])));
    }
}
