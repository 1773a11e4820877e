package io.railyard.core.examples;

import io.railyard.core.TaskFuture;
import io.railyard.core.TaskPool;
import io.railyard.core.threads.ThreadsPool;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The seed's {@code threading.local()}: each worker thread of the {@code threads} model keeps its
 * own copy of per-thread state (here a reusable buffer, the classic use), so tasks on different
 * threads never see each other's, and tasks on the same thread reuse it.
 */
class ThreadLocalTest {

    static final ThreadLocal<StringBuilder> BUFFER = ThreadLocal.withInitial(StringBuilder::new);

    @Test
    void eachWorkerThreadHasItsOwnCopy() throws Exception {
        int threads = 3;
        try (TaskPool pool = new ThreadsPool(threads)) {
            CyclicBarrier together = new CyclicBarrier(threads);
            List<TaskFuture<Integer>> fs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                fs.add(pool.submit(() -> {
                    together.await(10, TimeUnit.SECONDS); // all three run at once, on three threads
                    StringBuilder mine = BUFFER.get();
                    mine.append(Thread.currentThread().getName());
                    together.await(10, TimeUnit.SECONDS); // everyone has written before anyone reads
                    assertEquals(Thread.currentThread().getName(), mine.toString(), "another thread wrote my buffer");
                    return System.identityHashCode(mine);
                }));
            }
            Set<Integer> buffers = new HashSet<>();
            for (TaskFuture<Integer> f : fs) buffers.add(f.get(30, TimeUnit.SECONDS));
            assertEquals(threads, buffers.size(), "one buffer per thread");

            // later tasks on the same worker see that worker's buffer again: state survives between tasks
            Set<Integer> again = new HashSet<>();
            for (int i = 0; i < 30; i++) again.add(pool.submit(() -> System.identityHashCode(BUFFER.get())).get(30, TimeUnit.SECONDS));
            assertTrue(buffers.containsAll(again));
        }
    }
}
