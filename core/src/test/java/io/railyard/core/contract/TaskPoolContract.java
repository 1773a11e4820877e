package io.railyard.core.contract;

import io.railyard.core.MapIterator;
import io.railyard.core.MapOptions;
import io.railyard.core.PoolSpec;
import io.railyard.core.PoolState;
import io.railyard.core.RemoteException;
import io.railyard.core.TaskFailedException;
import io.railyard.core.TaskFuture;
import io.railyard.core.TaskPool;
import io.railyard.core.TaskTimeoutException;
import io.railyard.core.contract.ContractJobs.Fail;
import io.railyard.core.contract.ContractJobs.Gated;
import io.railyard.core.contract.ContractJobs.Job;
import io.railyard.core.contract.ContractJobs.Mark;
import io.railyard.core.contract.ContractJobs.Now;
import io.railyard.core.contract.ContractJobs.SquareOrFail;
import io.railyard.core.contract.ContractJobs.SquareWithJitter;
import io.railyard.core.contract.ContractJobs.Value;
import io.railyard.core.time.ManualTimeSource;
import io.railyard.core.trace.Outcome;
import io.railyard.core.trace.TaskRecord;
import io.railyard.core.trace.TraceRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The contract every model honours, written once against {@link TaskPool} and run for each model by
 * a subclass (like the JSR-166 TCK's {@code ExecutorService} tests). Jobs talk to the test through
 * files, so the same tests run for in-JVM models, worker processes and cluster members; models that
 * run asynchronous jobs (the loop) override {@link #asyncJobs()} to get the non-blocking forms.
 *
 * <p>Timeouts are driven by a {@link ManualTimeSource}: no test sleeps to make time pass. Where a
 * test waits for something to happen in a worker it polls a file with a generous bound.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class TaskPoolContract {

    /** Opens a pool of the model under test. */
    protected abstract TaskPool open(PoolSpec spec);

    /** True for models that run asynchronous jobs (submitAsync) rather than blocking ones. */
    protected boolean asyncJobs() {
        return false;
    }

    @TempDir
    protected Path dir;

    private final List<TaskPool> opened = new ArrayList<>();

    protected TaskPool open(int concurrency) {
        return track(open(PoolSpec.of(concurrency)));
    }

    protected TaskPool track(TaskPool pool) {
        opened.add(pool);
        return pool;
    }

    @AfterEach
    void shutDownEverything() throws Exception {
        release();
        for (TaskPool p : opened) {
            p.shutdownNow();
            assertTrue(p.awaitTermination(Duration.ofSeconds(30)), "pool did not terminate: " + p);
        }
    }

    protected <T> TaskFuture<T> submit(TaskPool pool, Job<T> job) {
        return submit(pool, job, null);
    }

    protected <T> TaskFuture<T> submit(TaskPool pool, Job<T> job, Duration timeout) {
        return asyncJobs() ? pool.submitAsync(ContractJobs.async(job), timeout) : pool.submit(job, timeout);
    }

    protected Gated gated(String name) {
        return new Gated(dir.toString(), name);
    }

    protected void release() throws Exception {
        ContractJobs.touch(dir.resolve("release"));
    }

    protected void awaitFile(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(dir.resolve(name))) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + name + " in " + dir);
            Thread.sleep(2);
        }
    }

    protected int countFiles(String prefix) throws Exception {
        try (var s = Files.list(dir)) {
            return (int) s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        }
    }

    /** The cause is the task's exception, or (across a process boundary) a copy naming its class. */
    protected static void assertCause(Throwable cause, Class<? extends Throwable> type, String message) {
        if (cause instanceof RemoteException r) {
            assertEquals(type.getName(), r.remoteClassName(), "remote exception class");
        } else {
            assertInstanceOf(type, cause);
        }
        assertTrue(String.valueOf(cause.getMessage()).contains(message), "message of " + cause);
    }

    // ---------------------------------------------------------------- submit

    @Test
    void submitReturnsTheTasksValue() throws Exception {
        TaskPool pool = open(2);
        assertEquals("hello", submit(pool, new Value<>("hello")).get(30, TimeUnit.SECONDS));
        assertEquals(42, submit(pool, new Value<>(42)).get(30, TimeUnit.SECONDS));
    }

    @Test
    void aTasksExceptionReachesTheCallerAsTheCause() throws Exception {
        TaskPool pool = open(2);
        TaskFuture<String> f = submit(pool, new Fail("boom 17"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
        assertCause(e.getCause(), IllegalStateException.class, "boom 17");
        assertTrue(f.isCompletedExceptionally());
        // the pool survives a failed task
        assertEquals("after", submit(pool, new Value<>("after")).get(30, TimeUnit.SECONDS));
    }

    @Test
    void nullTaskIsRefusedAtSubmit() {
        TaskPool pool = open(1);
        assertThrows(NullPointerException.class, () -> pool.submit(null));
    }

    @Test
    void neverRunsMoreThanItsConcurrency() throws Exception {
        int c = 3;
        TaskPool pool = open(c);
        List<TaskFuture<String>> fs = new ArrayList<>();
        for (int i = 0; i < 4 * c; i++) fs.add(submit(pool, gated("g" + i)));
        for (int i = 0; i < c; i++) awaitFile("started-g" + i);
        // give a misbehaving pool the chance to start more; a correct one cannot
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        while (System.nanoTime() < until) {
            assertEquals(c, countFiles("started-"), "tasks started with " + c + " allowed");
            Thread.sleep(10);
        }
        release();
        for (TaskFuture<String> f : fs) f.get(30, TimeUnit.SECONDS);
        assertEquals(4 * c, countFiles("started-"));
    }

    @Test
    void asynchronousTasksAreAcceptedByEveryModel() throws Exception {
        TaskPool pool = open(2);
        TaskFuture<String> f = pool.submitAsync(ContractJobs.async(gated("a")));
        awaitFile("started-a");
        assertFalse(f.isDone());
        release();
        assertEquals("a", f.get(30, TimeUnit.SECONDS));
    }

    // ---------------------------------------------------------------- map

    @Test
    void mapYieldsResultsInInputOrder() {
        TaskPool pool = open(4);
        List<Integer> inputs = IntStream.range(0, 200).boxed().toList();
        List<Integer> out = new ArrayList<>();
        pool.map(inputs, new SquareWithJitter()).forEachRemaining(out::add);
        assertEquals(inputs.stream().map(x -> x * x).toList(), out);
    }

    @Test
    void mapWithChunksYieldsTheSameResults() {
        TaskPool pool = open(3);
        List<Integer> inputs = IntStream.range(0, 101).boxed().toList();
        List<Integer> out = new ArrayList<>();
        pool.map(inputs.iterator(), new SquareOrFail(-1), MapOptions.chunked(7)).forEachRemaining(out::add);
        assertEquals(inputs.stream().map(x -> x * x).toList(), out);
    }

    @Test
    void mapUnorderedYieldsEveryResultOnce() {
        TaskPool pool = open(4);
        List<Integer> inputs = IntStream.range(0, 200).boxed().toList();
        List<Integer> out = new ArrayList<>();
        pool.mapUnordered(inputs, new SquareWithJitter()).forEachRemaining(out::add);
        assertEquals(200, out.size());
        assertEquals(new HashSet<>(inputs.stream().map(x -> x * x).toList()), new HashSet<>(out));
    }

    @Test
    void mapReadsInputsLazilyWithinThePrefetchWindow() {
        TaskPool pool = open(2);
        AtomicInteger pulled = new AtomicInteger();
        Iterator<Integer> endless = new Iterator<>() {
            public boolean hasNext() {
                return true;
            }

            public Integer next() {
                return pulled.getAndIncrement();
            }
        };
        int prefetch = 8;
        try (MapIterator<Integer> it = pool.map(endless, new SquareOrFail(-1), MapOptions.DEFAULT.withPrefetch(prefetch))) {
            for (int i = 0; i < 50; i++) {
                assertEquals(i * i, it.next());
                assertTrue(pulled.get() <= i + 1 + prefetch, "pulled " + pulled.get() + " inputs after consuming " + (i + 1));
                assertTrue(it.inFlightChunks() <= prefetch);
            }
        }
        assertTrue(pulled.get() < 50 + prefetch + 1);
    }

    @Test
    void mapSurfacesTheFirstFailureWithItsInputIndex() {
        TaskPool pool = open(3);
        List<Integer> inputs = IntStream.range(0, 50).boxed().toList();
        MapIterator<Integer> it = pool.map(inputs, new SquareOrFail(17));
        List<Integer> got = new ArrayList<>();
        TaskFailedException e = assertThrows(TaskFailedException.class, () -> it.forEachRemaining(got::add));
        assertEquals(17, e.inputIndex());
        assertCause(e.getCause(), IllegalArgumentException.class, "input 17 is bad");
        assertEquals(IntStream.range(0, 17).map(x -> x * x).boxed().toList(), got);
        assertFalse(it.hasNext(), "iteration ends at the failure");
    }

    @Test
    void asCompletedYieldsFuturesInCompletionOrder() throws Exception {
        TaskPool pool = open(2);
        TaskFuture<String> slow = submit(pool, gated("slow"));
        awaitFile("started-slow");
        TaskFuture<String> fast = submit(pool, new Value<>("fast"));
        Iterator<TaskFuture<String>> order = TaskPool.asCompleted(List.of(slow, fast)).iterator();
        assertSame(fast, order.next());
        release();
        assertSame(slow, order.next());
        assertFalse(order.hasNext());
    }

    // ---------------------------------------------------------------- timeouts

    @Test
    void aTimeoutStopsTheRunningTaskAndFreesItsSlot() throws Exception {
        ManualTimeSource clock = new ManualTimeSource();
        TaskPool pool = track(open(PoolSpec.of(1).withTime(clock)));
        TaskFuture<String> stuck = submit(pool, gated("stuck"), Duration.ofSeconds(5));
        awaitFile("started-stuck");
        clock.advance(Duration.ofSeconds(4));
        assertFalse(stuck.isDone(), "not yet timed out at 4 s of 5");
        clock.advance(Duration.ofSeconds(2));
        ExecutionException e = assertThrows(ExecutionException.class, () -> stuck.get(30, TimeUnit.SECONDS));
        assertInstanceOf(TaskTimeoutException.class, e.getCause());
        // concurrency is 1: the next task can only run if the stuck one was really stopped
        assertEquals("next", submit(pool, new Value<>("next")).get(30, TimeUnit.SECONDS));
    }

    @Test
    void aTimeoutCountsRunningTimeNotQueueTime() throws Exception {
        ManualTimeSource clock = new ManualTimeSource();
        TaskPool pool = track(open(PoolSpec.of(1).withTime(clock)));
        TaskFuture<String> first = submit(pool, gated("first"));
        awaitFile("started-first");
        TaskFuture<String> queued = submit(pool, new Value<>("queued"), Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(10)); // queued for 10 s with a 1 s timeout
        release();
        assertEquals("first", first.get(30, TimeUnit.SECONDS));
        assertEquals("queued", queued.get(30, TimeUnit.SECONDS));
    }

    // ---------------------------------------------------------------- cancellation

    @Test
    void aTaskCancelledWhileQueuedNeverRuns() throws Exception {
        TaskPool pool = open(1);
        TaskFuture<String> blocker = submit(pool, gated("blocker"));
        awaitFile("started-blocker");
        TaskFuture<String> victim = submit(pool, new Mark(dir.toString(), "victim-ran"));
        assertTrue(victim.cancel(false));
        assertTrue(victim.isCancelled());
        release();
        assertEquals("blocker", blocker.get(30, TimeUnit.SECONDS));
        assertEquals("after", submit(pool, new Value<>("after")).get(30, TimeUnit.SECONDS));
        pool.close();
        assertFalse(Files.exists(dir.resolve("victim-ran")), "a cancelled queued task ran");
    }

    @Test
    void cancellingARunningTaskStopsItAndFreesItsSlot() throws Exception {
        TaskPool pool = open(1);
        TaskFuture<String> running = submit(pool, gated("running"));
        awaitFile("started-running");
        assertTrue(running.cancel(true));
        assertThrows(CancellationException.class, running::join);
        assertEquals("next", submit(pool, new Value<>("next")).get(30, TimeUnit.SECONDS));
    }

    // ---------------------------------------------------------------- shutdown

    @Test
    void closeRunsEveryQueuedTaskThenTerminates() throws Exception {
        TaskPool pool = open(2);
        List<TaskFuture<String>> fs = new ArrayList<>();
        for (int i = 0; i < 20; i++) fs.add(submit(pool, new Mark(dir.toString(), "m" + i)));
        pool.close();
        assertEquals(PoolState.TERMINATED, pool.state());
        for (TaskFuture<String> f : fs) assertTrue(f.isDone() && !f.isCompletedExceptionally(), f.toString());
        assertEquals(20, countFiles("m"));
        pool.close(); // idempotent
        assertEquals(PoolState.TERMINATED, pool.state());
    }

    @Test
    void closeWaitsForRunningTasks() throws Exception {
        TaskPool pool = open(1);
        TaskFuture<String> running = submit(pool, gated("r"));
        awaitFile("started-r");
        Thread closer = new Thread(pool::close);
        closer.start();
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        while (System.nanoTime() < until) {
            assertNotEquals(PoolState.TERMINATED, pool.state());
            Thread.sleep(10);
        }
        assertEquals(PoolState.DRAINING, pool.state());
        release();
        closer.join(30_000);
        assertFalse(closer.isAlive());
        assertEquals("r", running.getNow(null));
        assertEquals(PoolState.TERMINATED, pool.state());
    }

    @Test
    void shutdownReturnsAtOnceRefusesNewTasksAndLetsQueuedOnesFinish() throws Exception {
        TaskPool pool = open(1);
        TaskFuture<String> running = submit(pool, gated("r"));
        awaitFile("started-r");
        TaskFuture<String> queued = submit(pool, new Mark(dir.toString(), "q"));
        pool.shutdown(); // returns while a task is still held
        assertEquals(PoolState.DRAINING, pool.state());
        assertThrows(RejectedExecutionException.class, () -> submit(pool, new Value<>(1)));
        assertFalse(pool.awaitTermination(Duration.ofMillis(20)));
        release();
        assertTrue(pool.awaitTermination(Duration.ofSeconds(30)));
        assertEquals("r", running.get());
        assertEquals("q", queued.get());
        pool.shutdown(); // idempotent
        assertEquals(PoolState.TERMINATED, pool.state());
    }

    @Test
    void shutdownNowCancelsQueuedTasksAndStopsRunningOnes() throws Exception {
        TaskPool pool = open(1);
        TaskFuture<String> running = submit(pool, gated("r"));
        awaitFile("started-r");
        List<TaskFuture<String>> queued = new ArrayList<>();
        for (int i = 0; i < 5; i++) queued.add(submit(pool, new Mark(dir.toString(), "q" + i)));
        List<TaskFuture<?>> neverStarted = pool.shutdownNow();
        assertEquals(Set.copyOf(queued), Set.copyOf(neverStarted));
        for (TaskFuture<String> f : queued) assertTrue(f.isCancelled());
        assertTrue(running.isCancelled());
        assertTrue(pool.awaitTermination(Duration.ofSeconds(30)), "terminates without the gate opening");
        assertEquals(0, countFiles("q"), "no queued task ran");
    }

    @Test
    void submittingAfterCloseIsRejectedClearly() {
        TaskPool pool = open(1);
        pool.close();
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class,
                () -> submit(pool, new Value<>("late")));
        assertTrue(e.getMessage().contains("accepts no new tasks"), e.getMessage());
        TaskPool other = open(1);
        other.shutdownNow();
        assertThrows(RejectedExecutionException.class, () -> submit(other, new Value<>("late")));
    }

    // ---------------------------------------------------------------- tracing

    @Test
    void everyTaskLeavesOneTraceRecord() throws Exception {
        TraceRecorder trace = new TraceRecorder(10_000);
        int c = 3;
        TaskPool pool = track(open(PoolSpec.of(c).withTrace(trace)));
        List<TaskFuture<String>> fs = new ArrayList<>();
        for (int i = 0; i < 30; i++) fs.add(submit(pool, i == 7 ? new Fail("seven") : new Value<>("v" + i)));
        for (TaskFuture<String> f : fs) f.handle((v, e) -> v).get(30, TimeUnit.SECONDS);
        pool.close();
        List<TaskRecord> records = trace.snapshot();
        assertEquals(30, records.size());
        Set<Long> ids = new HashSet<>();
        for (TaskRecord r : records) {
            assertTrue(ids.add(r.taskId()), "one record per task");
            assertTrue(r.startNanos() >= r.submitNanos() && r.endNanos() >= r.startNanos(), r.toString());
            assertTrue(r.worker() >= 0, "worker of " + r);
        }
        assertEquals(1, records.stream().filter(r -> r.outcome() == Outcome.FAILED).count());
    }

    @Test
    void aCompletedFutureSaysWhenItsTaskBeganWhereItRan() throws Exception {
        TaskPool pool = open(2);
        long before = System.nanoTime();
        TaskFuture<Long> f = submit(pool, new Now());
        long ran = f.get(30, TimeUnit.SECONDS);
        long after = System.nanoTime();
        long start = f.startNanos();
        assertTrue(start >= before && start <= after, "began within the submit and the answer: " + (start - before) + " ns");
        // a start worked out from a round trip is not a reading of this clock: only bounded by the call
        if (!f.startEstimated()) assertTrue(start <= ran, "began before the task's own reading: " + (ran - start) + " ns");
    }
}
