package io.railyard.cluster;

import io.railyard.core.BlockingTask;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFuture;
import io.railyard.core.TaskPool;
import io.railyard.core.threads.ThreadsPool;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What a task costs on the {@code cluster} model's embedded member, beside the {@code threads}
 * model in the same JVM: tiny tasks (they return their input) in a closed loop, at most 2 x C in
 * flight, for C = 1, 2, 4, 8. Also the embedded member's start-up, cold (first in this JVM) and warm.
 * <pre>
 *   java -cp cli/target/railyard.jar io.railyard.cluster.ClusterBenchmark [--tasks N] [--secret]
 * </pre>
 * With {@code --secret} it measures instead what the trust model costs: a client pool of a member
 * in this JVM at C = 4, without and with the cluster secret (every task, answer and cancel
 * HMAC-signed and checked), alternating three times.
 * Every figure is measured here, in one run; read them as ratios (cluster / threads).
 */
public final class ClusterBenchmark {
    private ClusterBenchmark() {}

    /** Returns its input: the smallest task there is. */
    public record Echo(long value) implements BlockingTask<Long> {
        @Override
        public Long call() {
            return value;
        }
    }

    public static void main(String[] args) throws Exception {
        int tasks = 20_000;
        boolean secret = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--tasks") && i + 1 < args.length) tasks = Integer.parseInt(args[++i]);
            else if (args[i].equals("--secret")) secret = true;
            else {
                System.err.println("usage: ClusterBenchmark [--tasks N] [--secret]   (N tiny tasks per level, default 20000)");
                System.exit(2);
            }
        }
        if (secret) {
            secretCost(tasks);
            return;
        }
        long t0 = System.nanoTime();
        try (ClusterPool first = new ClusterPool(1)) {
            long cold = System.nanoTime() - t0;
            try (ClusterPool second = new ClusterPool(1)) {
                System.out.printf(Locale.ROOT, "embedded member start-up: %.0f ms cold (first in this JVM), %.0f ms warm (pool open %.0f ms)%n",
                        cold / 1e6, second.startupTime().toNanos() / 1e6, first.startupTime().toNanos() / 1e6);
            }
        }
        System.out.printf(Locale.ROOT, "tiny tasks, %d per level after %d to warm up, at most 2 x C in flight (%d cores)%n",
                tasks, tasks / 4, Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%4s  %14s %10s   %14s %10s   %s%n", "C", "threads task/s", "us/task", "cluster task/s", "us/task", "cluster/threads cost");
        for (int c : new int[]{1, 2, 4, 8}) {
            double threads, cluster;
            try (TaskPool pool = new ThreadsPool(c)) {
                threads = secondsPerTask(pool, c, tasks);
            }
            try (TaskPool pool = new ClusterPool(PoolSpec.of(c))) {
                cluster = secondsPerTask(pool, c, tasks);
            }
            System.out.printf(Locale.ROOT, "%4d  %14.0f %10.1f   %14.0f %10.1f   %.0fx%n",
                    c, 1 / threads, threads * 1e6, 1 / cluster, cluster * 1e6, cluster / threads);
        }
    }

    /** Tiny tasks of a client pool to a member in this JVM at C = 4, without and with the cluster secret, alternating. */
    private static void secretCost(int tasks) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("railyard-benchmark-secret", "",
                java.nio.file.attribute.PosixFilePermissions.asFileAttribute(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        file.toFile().deleteOnExit();
        java.nio.file.Files.writeString(file, "a-benchmark-secret-0123456789abcdef");
        ClusterSecret secret = ClusterSecret.fromFile(file);
        System.out.printf(Locale.ROOT, "tiny tasks of a client pool to a member in this JVM, C = 4, %d per run after %d to warm up%n", tasks, tasks / 4);
        for (int round = 1; round <= 3; round++) {
            double[] us = new double[2];
            for (int k = 0; k < 2; k++) {
                ClusterSecret s = k == 0 ? null : secret;
                MemberOptions mo = MemberOptions.standalone().withPort(0).withThreads(2).withSecretFile(s == null ? "" : file.toString())
                        .withClusterName("railyard-benchmark-" + java.util.UUID.randomUUID()).withAllow(List.of(Echo.class.getName()));
                try (ClusterMember m = ClusterMember.start(mo);
                     ClusterPool pool = new ClusterPool(PoolSpec.of(4), ClusterPoolOptions.DEFAULT.withCluster(List.of(m.address()))
                             .withClusterName(mo.clusterName()).withSecret(s))) {
                    us[k] = secondsPerTask(pool, 4, tasks) * 1e6;
                }
            }
            System.out.printf(Locale.ROOT, "round %d: no secret %.1f us/task, secret %.1f us/task (%.2fx)%n", round, us[0], us[1], us[1] / us[0]);
        }
    }

    /** Wall seconds per task over {@code n} tasks, after a warm-up of n/4, with 2c in flight. */
    private static double secondsPerTask(TaskPool pool, int c, int n) throws Exception {
        run(pool, c, n / 4);
        long t0 = System.nanoTime();
        run(pool, c, n);
        return (System.nanoTime() - t0) / 1e9 / n;
    }

    private static void run(TaskPool pool, int c, int n) throws Exception {
        Semaphore window = new Semaphore(2 * c);
        List<TaskFuture<Long>> failed = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (!window.tryAcquire(60, TimeUnit.SECONDS)) throw new IllegalStateException("a task did not finish in 60 s");
            TaskFuture<Long> f = pool.submit(new Echo(i));
            f.whenComplete((v, e) -> {
                if (e != null) synchronized (failed) {
                    failed.add(f);
                }
                window.release();
            });
        }
        if (!window.tryAcquire(2 * c, 60, TimeUnit.SECONDS)) throw new IllegalStateException("tasks did not finish in 60 s");
        if (!failed.isEmpty()) failed.getFirst().get(); // throws the first failure
    }
}
