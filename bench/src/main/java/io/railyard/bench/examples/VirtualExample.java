package io.railyard.bench.examples;

import io.railyard.core.TaskFuture;
import io.railyard.core.virtual.VirtualPool;

import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** The example job on virtual threads: a blocking GET per task (the carrier is freed while it waits); the shared total needs a lock. */
public final class VirtualExample {
    private VirtualExample() {}

    public static long run(String url, int n, int c) throws Exception {
        Object lock = new Object();
        long[] total = {0};
        try (VirtualPool pool = new VirtualPool(c)) {
            List<TaskFuture<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                tasks.add(pool.submit(() -> {
                    try (InputStream in = URI.create(url).toURL().openStream()) {
                        int length = in.readAllBytes().length;
                        synchronized (lock) {
                            total[0] += length;
                        }
                        return length;
                    }
                }));
            }
            for (TaskFuture<Integer> t : tasks) t.get();
        }
        return total[0];
    }

    public static void main(String[] args) throws Exception {
        System.out.println(run(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2])));
    }
}
