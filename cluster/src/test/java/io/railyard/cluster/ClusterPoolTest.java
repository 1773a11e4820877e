package io.railyard.cluster;

import io.railyard.cluster.jobs.ClusterJobs;
import io.railyard.cluster.jobs.ClusterJobs.Echo;
import io.railyard.cluster.jobs.ClusterJobs.Hold;
import io.railyard.cluster.jobs.ClusterJobs.ReturnOpaque;
import io.railyard.cluster.jobs.ClusterJobs.SecretException;
import io.railyard.cluster.jobs.ClusterJobs.ThrowSecret;
import io.railyard.core.Models;
import io.railyard.core.PoolSpec;
import io.railyard.core.PoolState;
import io.railyard.core.RemoteException;
import io.railyard.core.TaskFuture;
import io.railyard.core.TaskTimeoutException;
import io.railyard.core.time.ManualTimeSource;
import io.railyard.core.TaskPool;
import io.railyard.core.codec.NotEncodableException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the cluster model adds to the contract, in this JVM: the embedded member a pool starts by
 * default and stops at close, the codec's allow-lists on both sides (the pool's and the member's),
 * answers that cannot travel, and an address nothing listens on.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ClusterPoolTest {

    /** A member that admits the test jobs; pools reach it as clients or directly. */
    private static ClusterMember member;

    @BeforeAll
    static void startMember() {
        member = ClusterMember.start(MemberOptions.standalone().withPort(0).withThreads(4)
                .withClusterName("railyard-test-" + UUID.randomUUID()).withAllow(List.of(ClusterJobs.ALLOW)));
    }

    @AfterAll
    static void stopMember() {
        if (member != null) member.close();
    }

    private static ClusterPool client(int concurrency, List<String> allow) {
        return new ClusterPool(PoolSpec.of(concurrency), ClusterPoolOptions.DEFAULT.withCluster(List.of(member.address()))
                .withClusterName(member.options().clusterName()).withAllow(allow));
    }

    @Test
    void theModelIsRegisteredAfterTheOthersAndStartsItsOwnMember() throws Exception {
        assertEquals("cluster", Models.names().getLast());
        ClusterPool pool = (ClusterPool) Models.open("cluster", PoolSpec.of(2).withOptions(Map.of("allow", ClusterJobs.ALLOW)));
        ClusterMember own = pool.embeddedMember();
        assertNotNull(own, "no address given: the pool starts a member in this JVM");
        assertTrue(own.address().startsWith("127.0.0.1:"), "on loopback: " + own.address());
        assertEquals(1, own.clusterSize(), "a cluster of its own");
        assertEquals(List.of(own.address()), pool.memberAddresses());
        assertTrue(pool.startupTime().toNanos() > 0);
        assertEquals("hello", pool.submit(new Echo<>("hello")).get(30, TimeUnit.SECONDS));
        pool.close();
        assertEquals(PoolState.TERMINATED, pool.state());
        assertFalse(own.instance().getLifecycleService().isRunning(), "closing the pool stops its member");
    }

    @Test
    void aPoolOnAnInstanceLeavesItRunning() throws Exception {
        TaskPool pool = ClusterPool.on(member.instance(), PoolSpec.of(2), ClusterPoolOptions.DEFAULT.withAllow(List.of(ClusterJobs.ALLOW)));
        assertEquals(7, pool.submit(new Echo<>(7)).get(30, TimeUnit.SECONDS));
        pool.close();
        assertTrue(member.instance().getLifecycleService().isRunning());
    }

    @Test
    void submitToStartEndsWhereTheMemberBeganTheTask() throws Exception {
        io.railyard.core.trace.TraceRecorder trace = new io.railyard.core.trace.TraceRecorder(100);
        try (ClusterPool pool = new ClusterPool(PoolSpec.of(2).withTrace(trace), ClusterPoolOptions.DEFAULT
                .withCluster(List.of(member.address())).withClusterName(member.options().clusterName()).withAllow(List.of(ClusterJobs.ALLOW)))) {
            for (int i = 0; i < 20; i++) assertEquals(i, pool.submit(new Echo<>(i)).get(30, TimeUnit.SECONDS));
        }
        List<io.railyard.core.trace.TaskRecord> records = trace.snapshot();
        assertEquals(20, records.size());
        for (io.railyard.core.trace.TaskRecord r : records) {
            // a member on this machine reads this JVM's clock: its own stamp, checked against each round trip
            assertFalse(r.startEstimated(), r.toString());
            assertTrue(r.submitNanos() <= r.startNanos() && r.startNanos() <= r.endNanos(), r.toString());
        }
    }

    @Test
    void aTaskThePoolMayNotEncodeIsRefusedAtSubmitNamingItsClass() {
        try (ClusterPool pool = client(1, List.of())) {
            RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> pool.submit(new Echo<>("x")));
            assertTrue(e.getMessage().contains(Echo.class.getName()) && e.getMessage().contains("allow="), e.getMessage());
            assertEquals(0, pool.outstanding(), "a refused task is not counted");
        }
    }

    @Test
    void aMemberDecodesOnlyWhatItsOwnAllowListAdmits() throws Exception {
        ClusterMember strict = ClusterMember.start(MemberOptions.standalone().withPort(0).withThreads(1)
                .withClusterName("railyard-test-" + UUID.randomUUID()));
        try (TaskPool pool = ClusterPool.on(strict.instance(), PoolSpec.of(1), ClusterPoolOptions.DEFAULT.withAllow(List.of(ClusterJobs.ALLOW)))) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> pool.submit(new Echo<>("x")).get(30, TimeUnit.SECONDS));
            NotEncodableException refused = assertInstanceOf(NotEncodableException.class, e.getCause());
            assertTrue(refused.getMessage().contains("a member cannot decode task") && refused.getMessage().contains(Echo.class.getName()),
                    refused.getMessage());
        } finally {
            strict.close();
        }
    }

    @Test
    void anExceptionThePoolMayNotDecodeArrivesAsARemoteCopyWithItsCauses() throws Exception {
        // the pool admits the task, not the exception it throws; the member admits both
        try (ClusterPool pool = client(1, List.of(ThrowSecret.class.getName()))) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> pool.submit(new ThrowSecret("classified")).get(30, TimeUnit.SECONDS));
            RemoteException outer = assertInstanceOf(RemoteException.class, e.getCause(), "the whole chain is a copy");
            assertEquals(IllegalStateException.class.getName(), outer.remoteClassName());
            RemoteException cause = assertInstanceOf(RemoteException.class, outer.getCause());
            assertEquals(SecretException.class.getName(), cause.remoteClassName());
            assertTrue(cause.getMessage().contains("classified"), cause.getMessage());
            assertTrue(cause.getStackTrace().length > 0 && cause.getStackTrace()[0].getClassName().contains("ClusterJobs"),
                    "the remote stack: " + List.of(cause.getStackTrace()));
        }
        // a pool that admits the class gets the original
        try (ClusterPool pool = client(1, List.of(ClusterJobs.ALLOW))) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> pool.submit(new ThrowSecret("open")).get(30, TimeUnit.SECONDS));
            assertInstanceOf(SecretException.class, e.getCause().getCause());
        }
    }

    @Test
    void aResultThatCannotBeEncodedFailsItsTaskOnly() throws Exception {
        try (ClusterPool pool = client(1, List.of(ClusterJobs.ALLOW))) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> pool.submit(new ReturnOpaque()).get(30, TimeUnit.SECONDS));
            NotEncodableException cause = assertInstanceOf(NotEncodableException.class, e.getCause());
            assertTrue(cause.getMessage().contains("cannot be sent back") && cause.getMessage().contains("Opaque"), cause.getMessage());
            assertEquals("next", pool.submit(new Echo<>("next")).get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void racingSubmitsCancelsAndTimeoutsLoseNoSlotAndNoTask(@TempDir Path dir) throws Exception {
        ManualTimeSource clock = new ManualTimeSource();
        int threads = 4, perThread = 60;
        // as many member threads as the pool's concurrency: a task left running on the member after
        // its cancel (a cancel that overtook it, say) would keep one, and the last check would see it
        ClusterMember exact = ClusterMember.start(MemberOptions.standalone().withPort(0).withThreads(3)
                .withClusterName("railyard-test-" + UUID.randomUUID()).withAllow(List.of(ClusterJobs.ALLOW)));
        try (exact; ClusterPool pool = new ClusterPool(PoolSpec.of(3).withTime(clock), ClusterPoolOptions.DEFAULT
                .withCluster(List.of(exact.address())).withClusterName(exact.options().clusterName()).withAllow(List.of(ClusterJobs.ALLOW)))) {
          try {
            // iterated by this thread while the submitters add: a concurrent collection (a
            // synchronized list's stream would throw ConcurrentModificationException)
            java.util.Queue<TaskFuture<?>> all = new java.util.concurrent.ConcurrentLinkedQueue<>();
            CyclicBarrier start = new CyclicBarrier(threads + 1);
            List<Thread> submitters = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int id = t;
                Thread th = new Thread(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            TaskFuture<?> f = i % 2 == 0
                                    ? pool.submit(new Echo<>(id * 1000 + i))
                                    : pool.submit(new Hold(dir.toString(), id + "-" + i), Duration.ofSeconds(5));
                            all.add(f);
                            if (i % 3 == 0) f.cancel(true);
                        }
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                th.start();
                submitters.add(th);
            }
            start.await();
            // time passes while tasks are submitted, cancelled and answered: held tasks time out
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (submitters.stream().anyMatch(Thread::isAlive) || all.stream().anyMatch(f -> !f.isDone())) {
                assertTrue(System.nanoTime() < until, "every task finishes; unfinished: " + all.stream().filter(f -> !f.isDone()).count());
                clock.advance(Duration.ofSeconds(1));
                Thread.sleep(5);
            }
            for (Thread th : submitters) th.join();
            assertEquals(threads * perThread, all.size());
            for (TaskFuture<?> f : all) {
                if (f.isCancelled()) continue;
                try {
                    Object v = f.get();
                    assertNotNull(v);
                } catch (ExecutionException e) {
                    assertInstanceOf(TaskTimeoutException.class, e.getCause(), "only held tasks fail, by timing out: " + e.getCause());
                }
            }
            awaitZero(pool);
            // no slot was lost, and no cancelled task still runs on the member: three tasks run at once
            List<TaskFuture<String>> held = new ArrayList<>();
            for (int i = 0; i < 3; i++) held.add(pool.submit(new Hold(dir.toString(), "after-" + i)));
            for (int i = 0; i < 3; i++) awaitFile(dir, "held-after-" + i + "-");
            ClusterJobs.touch(dir.resolve("release"));
            for (TaskFuture<String> h : held) assertTrue(h.get(30, TimeUnit.SECONDS).startsWith("after-"));
          } catch (Throwable failed) {
            // held tasks wait on the manual clock, which nobody advances now: close() would wait forever
            pool.shutdownNow();
            throw failed;
          }
        }
    }

    @Test
    void losingTheInstanceFailsTheRunningAndEveryQueuedTaskWithAReason(@TempDir Path dir) throws Exception {
        ClusterMember doomed = ClusterMember.start(MemberOptions.standalone().withPort(0).withThreads(1)
                .withClusterName("railyard-test-" + UUID.randomUUID()).withAllow(List.of(ClusterJobs.ALLOW)));
        ClusterPool pool = ClusterPool.on(doomed.instance(), PoolSpec.of(1), ClusterPoolOptions.DEFAULT.withAllow(List.of(ClusterJobs.ALLOW)));
        TaskFuture<String> running = pool.submit(new Hold(dir.toString(), "running"));
        List<TaskFuture<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) queued.add(pool.submit(new Echo<>(i))); // each fails at once when sent: no recursion per task
        awaitFile(dir, "held-running-");
        doomed.close();
        List<TaskFuture<?>> all = new ArrayList<>(queued);
        all.add(running);
        for (TaskFuture<?> f : all) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
            MemberDiedException died = assertInstanceOf(MemberDiedException.class, e.getCause());
            assertTrue(died.getMessage().contains("Hazelcast instance was shut down"), died.getMessage());
        }
        RejectedExecutionException refused = assertThrows(RejectedExecutionException.class, () -> pool.submit(new Echo<>(1)));
        assertTrue(refused.getMessage().contains("open a new pool"), refused.getMessage());
        pool.close();
        assertEquals(PoolState.TERMINATED, pool.state());
    }

    private static void awaitZero(ClusterPool pool) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pool.outstanding() != 0) {
            assertTrue(System.nanoTime() < until, "tasks left unfinished: " + pool.outstanding());
            Thread.sleep(5);
        }
    }

    private static void awaitFile(Path dir, String prefix) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (var s = java.nio.file.Files.list(dir)) {
                if (s.anyMatch(p -> p.getFileName().toString().startsWith(prefix))) return;
            }
            assertTrue(System.nanoTime() < until, "timed out waiting for " + prefix);
            Thread.sleep(5);
        }
    }

    @Test
    void anAddressNothingListensOnFailsInBoundedTimeWithOneLine() {
        String nowhere = "127.0.0.1:" + MemberProcesses.freePort();
        long t0 = System.nanoTime();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClusterPool(PoolSpec.of(1),
                ClusterPoolOptions.fromOptions(Map.of("cluster", nowhere, "connectTimeoutMs", "1000"))));
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertTrue(took.compareTo(Duration.ofSeconds(30)) < 0, "gave up in " + took);
        assertTrue(e.getMessage().contains(nowhere) && e.getMessage().contains("railyard member") && !e.getMessage().contains("\n"),
                e.getMessage());
    }

    @Test
    void aClusterOfAnotherNameIsNotJoined() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ClusterPool(PoolSpec.of(1),
                ClusterPoolOptions.DEFAULT.withCluster(List.of(member.address())).withClusterName("not-" + member.options().clusterName())
                        .withConnectTimeout(Duration.ofSeconds(1))));
        assertTrue(e.getMessage().contains("clusterName"), e.getMessage());
    }

    @Test
    void badOptionsAreNamedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClusterPoolOptions.fromOptions(Map.of("cluster", "127.0.0.1:notaport")));
        assertTrue(e.getMessage().contains("127.0.0.1:notaport") && e.getMessage().contains("host:port"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClusterPoolOptions.fromOptions(Map.of("maxAttempts", "0")));
        assertTrue(e.getMessage().contains("maxAttempts"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClusterPoolOptions.fromOptions(Map.of("allow", "not a pattern")));
        assertTrue(e.getMessage().contains("not a pattern"), e.getMessage());
    }
}
