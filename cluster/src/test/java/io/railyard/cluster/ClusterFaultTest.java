package io.railyard.cluster;

import io.railyard.cluster.MemberProcesses.Member;
import io.railyard.cluster.jobs.ClusterJobs.Hold;
import io.railyard.cluster.jobs.ClusterJobs.Work;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Members really die: three member processes on loopback share a CPU run, one is killed with
 * {@code kill -9} while it runs a task, and the run still accounts for every task; then the last
 * two are killed under held tasks, and those tasks fail with a reason instead of waiting forever.
 * One cluster serves the whole scenario (each member JVM costs seconds to start on a busy machine).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterFaultTest {

    @TempDir
    Path dir;

    @Test
    void killingMembersMidRunLosesNoTaskAndNeverHangs() throws Exception {
        try (MemberProcesses procs = new MemberProcesses()) {
            MemberOptions o = MemberProcesses.testMember("fault");
            Member a = procs.start(o, null);
            Member b = procs.start(o, a.address());
            Member c = procs.start(o, a.address());
            ClusterPoolOptions options = MemberProcesses.clientOf(o, a, b, c);
            try (ClusterPool pool = new ClusterPool(PoolSpec.of(3), options)) {
                assertEquals(3, pool.memberAddresses().size(), "the pool sees the three members: " + pool.memberAddresses());

                // ---- a CPU run spread over the three; kill -9 one of them while it runs a task
                int n = 45;
                List<TaskFuture<String>> fs = new ArrayList<>();
                for (int i = 0; i < n; i++) fs.add(pool.submit(new Work(dir.toString(), i, 27, 20)));
                await(() -> count("done-", b.pid()) >= 2 && count("started-", b.pid()) > count("done-", b.pid()),
                        "member " + b.address() + " to finish two tasks and start another");
                b.kill9();

                Set<Long> ranOn = new HashSet<>();
                for (int i = 0; i < n; i++) {
                    String v = fs.get(i).get(120, TimeUnit.SECONDS); // a MemberDiedException here would fail the test: two members survive
                    assertTrue(v.startsWith(i + ":"), "task " + i + " answered " + v);
                    ranOn.add(Long.parseLong(v.substring(v.indexOf(':') + 1)));
                }
                assertEquals(Set.of(a.pid(), b.pid(), c.pid()), ranOn, "the run was spread over all three members");
                List<Integer> rerun = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    boolean startedOnVictim = Files.exists(dir.resolve("started-" + i + "-" + b.pid()));
                    boolean doneOnVictim = Files.exists(dir.resolve("done-" + i + "-" + b.pid()));
                    if (startedOnVictim && !doneOnVictim) rerun.add(i);
                }
                assertFalse(rerun.isEmpty(), "the victim was killed while it ran a task");
                for (int i : rerun) {
                    String v = fs.get(i).get();
                    assertNotEquals(b.pid(), Long.parseLong(v.substring(v.indexOf(':') + 1)), "task " + i + " was re-run on a surviving member");
                }
                await(() -> pool.memberAddresses().size() == 2, "the cluster to drop the dead member from the pool's view");
                assertFalse(pool.memberAddresses().contains(b.address()));

                // ---- kill the last two while they hold tasks: the tasks fail with a reason, nobody waits forever
                TaskFuture<String> h1 = pool.submit(new Hold(dir.toString(), "h1"));
                TaskFuture<String> h2 = pool.submit(new Hold(dir.toString(), "h2"));
                await(() -> count("held-h1-", -1) + count("held-h2-", -1) == 2, "both held tasks to start");
                long t0 = System.nanoTime();
                a.kill9();
                c.kill9();
                for (TaskFuture<String> h : List.of(h1, h2)) {
                    ExecutionException e = assertThrows(ExecutionException.class, () -> h.get(60, TimeUnit.SECONDS));
                    assertInstanceOf(MemberDiedException.class, e.getCause(), "fails with the member's death as the reason: " + e.getCause());
                    assertTrue(e.getCause().getMessage().contains("left the cluster"), e.getCause().getMessage());
                }
                Duration took = Duration.ofNanos(System.nanoTime() - t0);
                assertTrue(took.compareTo(Duration.ofSeconds(60)) < 0, "failed within a bounded time: " + took);
                System.out.println("held tasks failed " + took.toMillis() + " ms after their members were killed");
            }
        }
    }

    /** Files named {@code prefix...-pid} ({@code pid} -1: any). */
    private long count(String prefix, long pid) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .filter(f -> f.startsWith(prefix) && (pid < 0 || f.endsWith("-" + pid))).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + what);
            Thread.sleep(2);
        }
    }
}
