package io.railyard.bench.workload;

import io.railyard.core.BlockingTask;
import io.railyard.core.SingleEventLoop;
import io.railyard.core.TaskFuture;
import io.railyard.core.TaskPool;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The seed's "Synchronization Coordinator" measured: a counter that C tasks increment
 * {@code increments} times in all, twice on the same pool, and the updates each pass lost.
 * <ol>
 *   <li><b>Without coordination</b>: each increment reads the counter, does a little work with the
 *       value (the window a switch or another core can fall into), and writes value + 1: the seed's
 *       {@code x = x + 1}. The field is {@code volatile}, so every read and write really goes to
 *       memory, and still the read-modify-write is not atomic.</li>
 *   <li><b>With the model's coordinator</b>, chosen by what the model shares:
 *     <ul>
 *       <li>one event loop ({@link SingleEventLoop}): none is needed, the same plain code runs, on one thread;</li>
 *       <li>tasks that ran in other processes (their process id, returned by the first pass, is not
 *           this one's): memory is not shared, so each task counts in its own variable and returns
 *           the count, and the caller sums what comes back (IPC);</li>
 *       <li>otherwise (threads of this JVM): the same read-work-write under a {@link ReentrantLock}.</li>
 *     </ul></li>
 * </ol>
 * Lost updates = the increments made less what the caller's counter (or the sum) shows. The
 * counter lives in the JVM that runs the task, found by the run's id: tasks in worker processes
 * each increment their own process's copy, which the caller never sees (memory separation).
 *
 * <p>The figures of a run are in its {@link Tally#figures()}: {@link #LOST_PLAIN}, {@link #LOST_COORDINATED}
 * and {@link #INCREMENTS}; the coordinator of the last run is {@code coordinator} in the parameters.
 *
 * <p>Not thread-safe: one harness thread (the tasks are what runs concurrently).
 */
public final class CounterWorkload implements Workload {

    public static final String LOST_PLAIN = "lost_plain", LOST_COORDINATED = "lost_coordinated", INCREMENTS = "increments";

    /** The coordinators, as results.json names them. */
    public static final String NONE = "none", LOCK = "lock", IPC = "ipc";

    /** The longest a task waits for the others of its pass to begin. */
    static final long GATE_MS = 50;

    /**
     * One task's share of a pass: a named record so worker processes can allow-list it. It first
     * waits (at most {@link #GATE_MS}) until the pass's {@code tasks} tasks have all begun in its
     * JVM, so that they count at the same time wherever the model lets them: without it, a task of a
     * few milliseconds can be over before the next one starts.
     */
    public record Increment(long run, long times, String mode, int tasks) implements BlockingTask<Counted> {
        @Override
        public Counted call() {
            SharedCounter c = SharedCounter.of(run);
            c.gate(tasks);
            long mine = 0;
            switch (mode) {
                case NONE -> {
                    for (long i = 0; i < times; i++) c.increment();
                }
                case LOCK -> {
                    for (long i = 0; i < times; i++) c.incrementLocked();
                }
                case IPC -> {
                    for (long i = 0; i < times; i++) mine = SharedCounter.work(mine) + 1;
                }
                default -> throw new IllegalArgumentException("unknown mode " + mode);
            }
            return new Counted(ProcessHandle.current().pid(), mode.equals(IPC) ? mine : times);
        }
    }

    /** What a task did: the process it ran in and the increments it made. */
    public record Counted(long pid, long count) implements java.io.Serializable {}

    /**
     * The counter of one run in this JVM. A worker process has its own copy, created by its first
     * task of the run and keeps it until it exits. Thread-safe as far as its methods say: {@link #increment}
     * loses updates on purpose.
     */
    static final class SharedCounter {
        private static final Map<Long, SharedCounter> BY_RUN = new ConcurrentHashMap<>();

        private volatile long value;
        private final ReentrantLock lock = new ReentrantLock();
        private final AtomicInteger arrived = new AtomicInteger();

        /** Counts this task in and waits until {@code tasks} have, or {@link #GATE_MS} have passed (one loop thread: they never can). */
        void gate(int tasks) {
            arrived.incrementAndGet();
            long deadline = System.nanoTime() + GATE_MS * 1_000_000;
            while (arrived.get() < tasks && System.nanoTime() < deadline) LockSupport.parkNanos(50_000);
        }

        static SharedCounter of(long run) {
            return BY_RUN.computeIfAbsent(run, r -> new SharedCounter());
        }

        static void forget(long run) {
            BY_RUN.remove(run);
        }

        /** Read, a little work with the value, write: not atomic, so concurrent increments get lost. */
        void increment() {
            long v = value;
            value = work(v) + 1;
        }

        void incrementLocked() {
            lock.lock();
            try {
                increment();
            } finally {
                lock.unlock();
            }
        }

        long value() {
            return value;
        }

        /**
         * The dependent multiplications of {@link #work}: ~0.1 µs, a window wide enough that a
         * switch or the other core falls into it often even on a busy machine.
         */
        static final int WORK_STEPS = 100;

        /** Where {@link #work} keeps a result it almost never has, so that the JIT cannot drop the work. */
        private static long sink;

        /**
         * Dependent multiplications whose result is checked, then {@code v} given back: the work
         * between the read and the write.
         */
        static long work(long v) {
            long x = v;
            for (int i = 0; i < WORK_STEPS; i++) x = x * 0x9E3779B97F4A7C15L + i;
            if (x == 0x5DEECE66DL) sink = x;
            return v;
        }
    }

    private static final AtomicLong RUNS = new AtomicLong(System.nanoTime());

    private final long increments;
    private final int tasks;
    private String coordinator;

    /** {@code increments} in all per pass, shared among {@code tasks} tasks. */
    public CounterWorkload(long increments, int tasks) {
        if (tasks < 1) throw new IllegalArgumentException("tasks must be >= 1, was " + tasks);
        if (increments < tasks) throw new IllegalArgumentException("increments must be >= the tasks (" + tasks + "), was " + increments);
        this.increments = increments;
        this.tasks = tasks;
    }

    @Override
    public String name() {
        return "counter";
    }

    /** Both passes' tasks. */
    @Override
    public long tasks() {
        return 2L * tasks;
    }

    /** Serial increments take a few milliseconds: the limit is nothing, wall / limit says nothing here. */
    @Override
    public double limitSeconds(int concurrency) {
        return 0;
    }

    @Override
    public Tally runOnce(TaskPool pool, Progress progress) throws Exception {
        long run = RUNS.incrementAndGet();
        try {
            long[] done = {0, 0};
            Progress counting = (d, f) -> progress.taskDone(done[0] + d, done[1] + f);
            Pass plain = pass(pool, run, NONE, counting);
            done[0] = plain.tally.ok();
            done[1] = plain.tally.failed();
            long mine = ProcessHandle.current().pid();
            boolean elsewhere = plain.counted.stream().anyMatch(c -> c.pid() != mine);
            String mode = pool.capability(SingleEventLoop.class).isPresent() ? NONE : elsewhere ? IPC : LOCK;
            long lostPlain = increments - SharedCounter.of(run).value();
            SharedCounter.forget(run);
            long run2 = RUNS.incrementAndGet();
            try {
                Pass coordinated = pass(pool, run2, mode, counting);
                long seen = mode.equals(IPC) ? coordinated.counted.stream().mapToLong(Counted::count).sum() : SharedCounter.of(run2).value();
                coordinator = mode;
                Map<String, Double> figures = Map.of(LOST_PLAIN, (double) lostPlain, LOST_COORDINATED, (double) (increments - seen),
                        INCREMENTS, (double) increments);
                return new Tally(plain.tally.ok() + coordinated.tally.ok(), plain.tally.failed() + coordinated.tally.failed(),
                        Map.of(), figures);
            } finally {
                SharedCounter.forget(run2);
            }
        } finally {
            SharedCounter.forget(run);
        }
    }

    private record Pass(Tally tally, List<Counted> counted) {}

    /** One pass: the increments split among the tasks, all submitted at once. */
    private Pass pass(TaskPool pool, long run, String mode, Progress progress) throws InterruptedException {
        Outcomes outcomes = new Outcomes(tasks, progress);
        List<TaskFuture<Counted>> fs = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            long share = increments / tasks + (i < increments % tasks ? 1 : 0);
            TaskFuture<Counted> f = pool.submit(new Increment(run, share, mode, tasks));
            outcomes.track(f);
            fs.add(f);
        }
        Tally t = outcomes.await();
        if (t.failed() > 0) throw new WorkloadFailedException("counter: " + t.failed() + " of " + tasks + " tasks failed: " + t.failures());
        return new Pass(t, fs.stream().map(TaskFuture::join).toList());
    }

    /** None: which updates get lost depends on who runs when, not on how fast compiled code runs. */
    @Override
    public int warmupRuns(int requested) {
        return 0;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("increments", increments);
        p.put("tasks", tasks);
        if (coordinator != null) p.put("coordinator", coordinator);
        return p;
    }
}
