package io.railyard.core.pool;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link AbstractTaskPool#releaseOnOwnThread}: a release that waits runs off the thread that
 * finished the last task, and {@code close()} returns only once it is over.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ReleaseOnOwnThreadTest {

    /** Runs each task on a thread of its own; its release waits until the test lets it finish. */
    private static final class SlowReleasePool extends AbstractTaskPool {
        final CountDownLatch mayFinish = new CountDownLatch(1);
        final AtomicReference<Thread> releasedOn = new AtomicReference<>(), calledOn = new AtomicReference<>();
        volatile boolean released;

        SlowReleasePool() {
            super("slow-release", PoolSpec.of(1));
        }

        @Override
        protected void dispatch(TaskRun<?> run) {
            Thread.ofPlatform().name("slow-release-task").start(() -> run.runBlocking(0));
        }

        @Override
        protected void stopRunning(TaskRun<?> run) {
            run.interruptRunner();
        }

        @Override
        protected void releaseWorkers() {
            calledOn.set(Thread.currentThread());
            releaseOnOwnThread("slow-release-close", () -> {
                releasedOn.set(Thread.currentThread());
                try {
                    mayFinish.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                released = true;
            });
        }
    }

    @Test
    void closeJoinsTheReleaseThreadWhichIsNotTheOneThatFinishedTheLastTask() throws Exception {
        SlowReleasePool pool = new SlowReleasePool();
        CountDownLatch taskMayEnd = new CountDownLatch(1);
        TaskFuture<Integer> f = pool.submit(() -> {
            taskMayEnd.await();
            return 1;
        });
        Thread closer = Thread.ofPlatform().start(pool::close);
        taskMayEnd.countDown();
        assertEquals(1, f.get());
        while (pool.releasedOn.get() == null) Thread.sleep(1);
        assertEquals("slow-release-close", pool.releasedOn.get().getName());
        assertNotSame(pool.calledOn.get(), pool.releasedOn.get());
        closer.join(200);
        assertTrue(closer.isAlive(), "close() waits for the release");
        pool.mayFinish.countDown();
        closer.join(10_000);
        assertFalse(closer.isAlive());
        assertTrue(pool.released);
    }
}
