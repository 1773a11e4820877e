package io.railyard.core;

import io.railyard.core.threads.ThreadsPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * What the executor view adds beyond the contract ({@link io.railyard.core.contract.ExecutorServiceContract}):
 * a failure of a task given to {@code execute}, which has no future to hold it, is not lost.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TaskPoolExecutorServiceTest {

    @Test
    void aRunnableGivenToExecuteThatThrowsReachesAnUncaughtExceptionHandler() throws Exception {
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        AtomicReference<Throwable> seen = new AtomicReference<>();
        Thread.setDefaultUncaughtExceptionHandler((t, e) -> seen.set(e));
        try (ThreadsPool pool = new ThreadsPool(PoolSpec.of(1))) {
            ExecutorService es = pool.asExecutorService();
            es.execute(() -> {
                throw new IllegalStateException("nobody holds my future");
            });
            es.shutdown();
            assertTrue(es.awaitTermination(20, TimeUnit.SECONDS));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen.get() == null && System.nanoTime() < deadline) Thread.sleep(1);
            assertInstanceOf(IllegalStateException.class, seen.get());
            assertEquals("nobody holds my future", seen.get().getMessage());
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }

    @Test
    void aTaskThatCannotCrossToAWorkerProcessIsRefusedAtSubmit() {
        try (TaskPool pool = Models.open("processes", PoolSpec.of(1))) {
            ExecutorService es = pool.asExecutorService();
            Object notSerializable = new Object();
            RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
                    () -> es.submit(() -> notSerializable.hashCode()));
            assertTrue(e.getMessage().contains("cannot be sent to a worker process"), e.getMessage());
        }
    }
}
