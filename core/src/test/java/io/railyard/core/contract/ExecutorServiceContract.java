package io.railyard.core.contract;

import io.railyard.core.PoolSpec;
import io.railyard.core.RemoteException;
import io.railyard.core.TaskPool;
import io.railyard.core.contract.ExecutorJobs.Answer;
import io.railyard.core.contract.ExecutorJobs.Throw;
import io.railyard.core.contract.ExecutorJobs.Touch;
import io.railyard.core.contract.ExecutorJobs.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link TaskPool#asExecutorService()} held to what the JDK expects of an {@link ExecutorService}
 * (the expectations of the JSR-166 TCK's executor tests): execute and the three submits, a task's
 * exception as the cause, shutdown (refuses new work, runs what is queued), shutdownNow (hands back
 * what never started, stops what runs), isShutdown and isTerminated, awaitTermination, invokeAll and
 * invokeAny with and without a timeout, nulls refused, close. Written once and run for each model by
 * a subclass; the tasks are serializable records that talk through files ({@link ExecutorJobs}).
 *
 * <p>Tasks that wait run one at a time (concurrency 1) where the test needs one running and others
 * queued: on the loop a waiting task holds the one loop thread.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
public abstract class ExecutorServiceContract {

    /** Opens a pool of the model under test. */
    protected abstract TaskPool open(PoolSpec spec);

    /** Whether a running task sees an interrupt when stopped (not a killed worker process, not a blocking task on the loop). */
    protected boolean interruptsRunningTasks() {
        return true;
    }

    @TempDir
    protected Path dir;

    private final List<TaskPool> opened = new ArrayList<>();

    protected ExecutorService executor(int concurrency) {
        TaskPool pool = open(PoolSpec.of(concurrency));
        opened.add(pool);
        return pool.asExecutorService();
    }

    @AfterEach
    void shutDownEverything() throws Exception {
        release();
        for (TaskPool p : opened) {
            p.shutdownNow();
            assertTrue(p.awaitTermination(Duration.ofSeconds(30)), "pool did not terminate: " + p);
        }
    }

    private Wait waiting(String name) {
        return new Wait(dir.toString(), name);
    }

    private Touch touch(String name) {
        return new Touch(dir.toString(), name);
    }

    private void release() {
        ContractJobs.touch(dir.resolve("release"));
    }

    private void awaitFile(String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(dir.resolve(name))) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + name + " in " + dir);
            Thread.sleep(2);
        }
    }

    /** The cause is the task's exception, or (across a process boundary) a copy naming its class. */
    private static void assertCause(Throwable cause, Class<? extends Throwable> type, String message) {
        if (cause instanceof RemoteException r) assertEquals(type.getName(), r.remoteClassName());
        else assertInstanceOf(type, cause);
        assertTrue(String.valueOf(cause.getMessage()).contains(message), "message of " + cause);
    }

    // ---------------------------------------------------------------- execute and submit

    @Test
    void executeRunsTheRunnable() throws Exception {
        ExecutorService es = executor(2);
        es.execute(touch("ran"));
        awaitFile("ran");
    }

    @Test
    void submitReturnsAFutureOfTheCallablesValueOrOfTheRunnablesResult() throws Exception {
        ExecutorService es = executor(2);
        assertEquals("hello", es.submit(new Answer<>("hello")).get(30, TimeUnit.SECONDS));
        assertNull(es.submit((Runnable) touch("a")).get(30, TimeUnit.SECONDS));
        assertEquals(7, es.submit(touch("b"), 7).get(30, TimeUnit.SECONDS));
        assertTrue(Files.exists(dir.resolve("a")) && Files.exists(dir.resolve("b")));
    }

    @Test
    void aTasksExceptionIsTheCauseOfGet() throws Exception {
        ExecutorService es = executor(2);
        Future<String> f = es.submit(new Throw("boom 23"));
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
        assertCause(e.getCause(), IllegalStateException.class, "boom 23");
        assertTrue(f.isDone());
        assertFalse(f.isCancelled());
    }

    @Test
    void nullsAreRefused() {
        ExecutorService es = executor(1);
        assertThrows(NullPointerException.class, () -> es.execute(null));
        assertThrows(NullPointerException.class, () -> es.submit((Callable<String>) null));
        assertThrows(NullPointerException.class, () -> es.submit((Runnable) null));
        assertThrows(NullPointerException.class, () -> es.submit(null, 1));
        assertThrows(NullPointerException.class, () -> es.invokeAll(null));
        List<Callable<String>> withNull = new ArrayList<>();
        withNull.add(new Answer<>("x"));
        withNull.add(null);
        assertThrows(NullPointerException.class, () -> es.invokeAll(withNull));
        assertThrows(NullPointerException.class, () -> es.invokeAny(withNull));
    }

    // ---------------------------------------------------------------- shutdown

    @Test
    void shutdownRefusesNewWorkAndRunsWhatIsQueued() throws Exception {
        ExecutorService es = executor(1);
        Future<String> running = es.submit((Callable<String>) waiting("a"));
        awaitFile("started-a");
        Future<Integer> queued = es.submit(new Answer<>(2));
        es.execute(touch("queued"));
        assertFalse(es.isShutdown());
        es.shutdown();
        assertTrue(es.isShutdown());
        assertFalse(es.isTerminated(), "a task still runs");
        assertThrows(RejectedExecutionException.class, () -> es.execute(touch("late")));
        assertThrows(RejectedExecutionException.class, () -> es.submit(new Answer<>(3)));
        assertFalse(es.awaitTermination(20, TimeUnit.MILLISECONDS), "not terminated while a task waits");
        es.shutdown(); // idempotent
        release();
        assertTrue(es.awaitTermination(30, TimeUnit.SECONDS));
        assertTrue(es.isTerminated());
        assertEquals("a", running.get());
        assertEquals(2, queued.get());
        assertTrue(Files.exists(dir.resolve("queued")), "a queued task runs after shutdown");
        assertFalse(Files.exists(dir.resolve("late")));
    }

    @Test
    void shutdownNowHandsBackWhatNeverStartedAndStopsWhatRuns() throws Exception {
        ExecutorService es = executor(1);
        Future<String> running = es.submit((Callable<String>) waiting("a"));
        awaitFile("started-a");
        Touch queuedRunnable = touch("never-1");
        es.execute(queuedRunnable);
        Future<Integer> queuedCallable = es.submit(new Answer<>(5));
        List<Runnable> neverStarted = es.shutdownNow();
        assertTrue(es.isShutdown());
        assertEquals(2, neverStarted.size(), neverStarted.toString());
        assertTrue(neverStarted.contains(queuedRunnable), "execute's runnable comes back as given");
        assertTrue(neverStarted.stream().anyMatch(r -> r instanceof FutureTask<?>), "a callable comes back as a FutureTask");
        assertTrue(queuedCallable.isCancelled());
        assertTrue(running.isCancelled(), "the running task is stopped");
        assertThrows(CancellationException.class, running::get);
        if (interruptsRunningTasks()) awaitFile("interrupted-a");
        release(); // a task that cannot be interrupted ends this way
        assertTrue(es.awaitTermination(30, TimeUnit.SECONDS));
        assertTrue(es.isTerminated());
        assertFalse(Files.exists(dir.resolve("never-1")), "a task handed back never ran");
        assertThrows(RejectedExecutionException.class, () -> es.submit(new Answer<>(6)));
    }

    @Test
    void awaitTerminationWaitsForTheLastTask() throws Exception {
        ExecutorService es = executor(1);
        assertFalse(es.awaitTermination(10, TimeUnit.MILLISECONDS), "not shut down: not terminated");
        es.submit((Callable<String>) waiting("a"));
        awaitFile("started-a");
        es.shutdown();
        assertFalse(es.awaitTermination(20, TimeUnit.MILLISECONDS));
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                assertTrue(es.awaitTermination(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        release();
        waiter.join(30_000);
        assertFalse(waiter.isAlive());
        assertTrue(es.isTerminated());
    }

    @Test
    void closeShutsDownAndWaitsForTheTasks() throws Exception {
        ExecutorService es = executor(1);
        Future<String> f = es.submit((Callable<String>) waiting("a"));
        awaitFile("started-a");
        Thread closer = Thread.ofPlatform().start(es::close);
        closer.join(100);
        assertTrue(closer.isAlive(), "close waits while a task runs");
        assertTrue(es.isShutdown());
        release();
        closer.join(30_000);
        assertFalse(closer.isAlive());
        assertTrue(es.isTerminated());
        assertEquals("a", f.get());
    }

    // ---------------------------------------------------------------- invokeAll, invokeAny

    @Test
    void invokeAllReturnsEveryFutureDoneAndInOrder() throws Exception {
        ExecutorService es = executor(2);
        List<Callable<String>> tasks = List.of(new Answer<>("one"), new Throw("two failed"), new Answer<>("three"));
        List<Future<String>> fs = es.invokeAll(tasks);
        assertEquals(3, fs.size());
        for (Future<String> f : fs) assertTrue(f.isDone());
        assertEquals("one", fs.get(0).get());
        assertCause(assertThrows(ExecutionException.class, fs.get(1)::get).getCause(), IllegalStateException.class, "two failed");
        assertEquals("three", fs.get(2).get());
        assertTrue(es.invokeAll(List.of()).isEmpty());
    }

    @Test
    void invokeAllWithATimeoutCancelsWhatHasNotFinished() throws Exception {
        ExecutorService es = executor(2);
        List<Callable<String>> tasks = List.of(new Answer<>("quick"), waiting("slow"));
        List<Future<String>> fs = es.invokeAll(tasks, 200, TimeUnit.MILLISECONDS);
        assertEquals(2, fs.size());
        for (Future<String> f : fs) assertTrue(f.isDone());
        assertEquals("quick", fs.get(0).get());
        assertTrue(fs.get(1).isCancelled(), "the waiting task was cancelled at the deadline");
    }

    @Test
    void invokeAnyReturnsASuccessAndFailsOnlyWhenEveryTaskFails() throws Exception {
        ExecutorService es = executor(2);
        assertEquals("fine", es.invokeAny(List.of(new Throw("first"), new Answer<>("fine"))));
        ExecutionException e = assertThrows(ExecutionException.class, () -> es.invokeAny(List.of(new Throw("x"), new Throw("y"))));
        assertNotNull(e.getCause());
        assertThrows(IllegalArgumentException.class, () -> es.invokeAny(List.<Callable<String>>of()));
    }

    @Test
    void invokeAnyWithATimeoutGivesUpAndCancels() throws Exception {
        ExecutorService es = executor(1);
        assertThrows(TimeoutException.class, () -> es.invokeAny(List.of(waiting("slow")), 100, TimeUnit.MILLISECONDS));
        release(); // on the loop, a waiting task cannot be interrupted and holds the thread until then
        assertEquals("after", es.submit(new Answer<>("after")).get(30, TimeUnit.SECONDS), "the cancelled task freed its slot");
    }
}
