package io.railyard.core.examples;

import io.railyard.core.TaskFuture;
import io.railyard.core.TaskPool;
import io.railyard.core.threads.ThreadsPool;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The seed's "race condition" row made real: threads share memory, so an unsynchronised
 * read-modify-write ({@code x = x + 1}) loses updates, and a lock makes it exact. The threads start
 * together at a barrier and repeat the increment many times, so the race shows on every run.
 */
class RaceConditionTest {

    static final int THREADS = 4, ROUNDS = 100, PER_ROUND = 20_000;

    /** Deliberately unsafe: no lock, no volatile, no atomic. */
    static final class Counter {
        long value;

        void unsafeIncrement() {
            long v = value;   // read
            Thread.onSpinWait(); // widen the window between read and write
            value = v + 1;    // write: may overwrite another thread's update
        }
    }

    private static long run(Runnable increment, Counter counter) throws Exception {
        try (TaskPool pool = new ThreadsPool(THREADS)) {
            for (int round = 0; round < ROUNDS; round++) {
                CyclicBarrier start = new CyclicBarrier(THREADS);
                List<TaskFuture<Void>> fs = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    fs.add(pool.submit(() -> {
                        start.await(10, TimeUnit.SECONDS);
                        for (int i = 0; i < PER_ROUND; i++) increment.run();
                        return null;
                    }));
                }
                for (TaskFuture<Void> f : fs) f.get(30, TimeUnit.SECONDS);
            }
        }
        return counter.value;
    }

    @Test
    void anUnsynchronisedCounterLosesUpdates() throws Exception {
        Counter c = new Counter();
        long got = run(c::unsafeIncrement, c);
        long expected = (long) THREADS * ROUNDS * PER_ROUND;
        assertTrue(got < expected, "expected lost updates, got all " + got);
    }

    @Test
    void aLockedCounterNeverDoes() throws Exception {
        Counter c = new Counter();
        ReentrantLock lock = new ReentrantLock();
        long got = run(() -> {
            lock.lock();
            try {
                c.unsafeIncrement();
            } finally {
                lock.unlock();
            }
        }, c);
        assertEquals((long) THREADS * ROUNDS * PER_ROUND, got);
    }
}
