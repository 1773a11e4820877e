package io.railyard.cluster;

import io.railyard.cluster.jobs.ClusterJobs;
import io.railyard.cluster.jobs.ClusterJobs.Echo;
import io.railyard.cluster.jobs.ClusterJobs.Hold;
import io.railyard.core.codec.AllowList;
import io.railyard.core.codec.JavaSerializationCodec;
import io.railyard.core.codec.PayloadCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A member's side of cancelling, without Hazelcast in the way: a cancel that overtakes its task,
 * one that interrupts it while it runs, and one that comes too late, which must not reach the next
 * task of the same thread.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MemberRuntimeTest {

    private final PayloadCodec codec = new JavaSerializationCodec(AllowList.of(List.of(ClusterJobs.ALLOW)));
    private final MemberRuntime runtime = new MemberRuntime(codec);
    private final UUID pool = UUID.randomUUID();

    @TempDir
    Path dir;

    private RemoteTask task(long id, Object job) {
        return new RemoteTask(pool, id, 0, codec.encode(job), new byte[0]);
    }

    @Test
    void aCancelThatOvertakesItsTaskSkipsIt() {
        assertFalse(runtime.cancel(pool, 7), "not running yet");
        Reply r = runtime.run(task(7, new Hold(dir.toString(), "never")));
        Reply.Failed f = assertInstanceOf(Reply.Failed.class, r);
        assertInstanceOf(CancellationException.class, codec.decode(f.exception()));
        assertEquals(-1, f.startNanos(), "its code never began: no start");
        assertFalse(Files.exists(dir.resolve("held-never-" + ProcessHandle.current().pid())), "the task never ran");
        // the tombstone is spent: the same id of another pool, or a later task, runs
        assertInstanceOf(Reply.Done.class, runtime.run(new RemoteTask(UUID.randomUUID(), 7, 0, codec.encode(new Echo<>(1)), new byte[0])));
        assertInstanceOf(Reply.Done.class, runtime.run(task(8, new Echo<>(2))));
    }

    @Test
    void aCancelInterruptsARunningTaskAndALateOneReachesNoOther() throws Exception {
        CompletableFuture<Reply> held = CompletableFuture.supplyAsync(() -> runtime.run(task(1, new Hold(dir.toString(), "h"))));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(dir.resolve("held-h-" + ProcessHandle.current().pid()))) {
            assertTrue(System.nanoTime() < deadline, "the held task did not start");
            Thread.sleep(2);
        }
        assertTrue(runtime.cancel(pool, 1), "it was running");
        Reply.Failed f = assertInstanceOf(Reply.Failed.class, held.get(30, TimeUnit.SECONDS));
        assertInstanceOf(InterruptedException.class, codec.decode(f.exception()));

        // a cancel of a task that has finished on this thread: the thread's next task is not interrupted
        assertInstanceOf(Reply.Done.class, runtime.run(task(2, new Echo<>("x"))));
        runtime.cancel(pool, 2);
        assertFalse(Thread.currentThread().isInterrupted());
        assertInstanceOf(Reply.Done.class, runtime.run(task(3, new Echo<>("y"))));
    }

    @Test
    void theMemberStampsWhenTheTasksCodeBeganAndHowLongItRan() {
        long before = System.nanoTime();
        Reply.Done d = assertInstanceOf(Reply.Done.class, runtime.run(task(4, new Echo<>("z"))));
        long after = System.nanoTime();
        assertTrue(d.startNanos() >= before && d.startNanos() + d.runNanos() <= after,
                "start " + d.startNanos() + " and run " + d.runNanos() + " inside [" + before + ", " + after + "]");
        assertTrue(d.runNanos() >= 0);
    }
}
