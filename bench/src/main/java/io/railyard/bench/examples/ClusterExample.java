package io.railyard.bench.examples;

import io.railyard.core.BlockingTask;
import io.railyard.core.Models;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFuture;
import io.railyard.core.TaskPool;

import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The example job on a cluster (an embedded member unless told where members are): as with
 * processes, a task is a record serialised to a member and its result comes back; the caller
 * adds the results. The cluster model lives in its own module, so it is opened by name.
 */
public final class ClusterExample {
    private ClusterExample() {}

    /** One GET, run on a member. */
    public record Fetch(String url) implements BlockingTask<Integer> {
        @Override
        public Integer call() throws Exception {
            try (InputStream in = URI.create(url).toURL().openStream()) {
                return in.readAllBytes().length;
            }
        }
    }

    public static long run(String url, int n, int c) throws Exception {
        PoolSpec spec = PoolSpec.of(c).withOptions(Map.of("allow", Fetch.class.getName()));
        long total = 0;
        try (TaskPool pool = Models.open("cluster", spec)) {
            List<TaskFuture<Integer>> tasks = new ArrayList<>();
            for (int i = 0; i < n; i++) tasks.add(pool.submit(new Fetch(url)));
            for (TaskFuture<Integer> t : tasks) total += t.get();
        }
        return total;
    }

    public static void main(String[] args) throws Exception {
        System.out.println(run(args[0], Integer.parseInt(args[1]), Integer.parseInt(args[2])));
    }
}
