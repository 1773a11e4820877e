package io.railyard.bench.examples;

import io.railyard.core.BlockingTask;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFuture;
import io.railyard.core.processes.ProcessPool;

import java.io.InputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The example job on worker processes: memory is not shared, so a task is a record sent to a
 * worker over a pipe (IPC, serialised, allow-listed) and its result comes back the same way; the
 * parent adds the results.
 */
public final class ProcessesExample {
    private ProcessesExample() {}

    /** One GET, run in a worker process. */
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
        try (ProcessPool pool = new ProcessPool(spec)) {
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
