package io.railyard.core.pool;

import io.railyard.core.BlockingTask;
import io.railyard.core.PoolSpec;
import io.railyard.core.RemoteException;
import io.railyard.core.TaskFuture;
import io.railyard.core.codec.AllowList;
import io.railyard.core.codec.JavaSerializationCodec;
import io.railyard.core.codec.NotEncodableException;
import io.railyard.core.codec.PayloadCodec;
import io.railyard.core.pool.RemoteQueue.Queued;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.Serializable;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link RemoteQueue} between a pool and its wire: refusals at submit, cancelled runs skipped in
 * the queue, results and exceptions decoded under the allow-list. The pool here is a model whose
 * wire is the test: it queues every run, and the test plays the remote side with a real codec.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class RemoteQueueTest {

    /** A task the remote side may run; this package is on the test pool's allow-list. */
    record Echo(int value) implements BlockingTask<Integer>, Serializable {
        @Override
        public Integer call() {
            return value;
        }
    }

    /** A value whose class the pool side does not allow. */
    record Secret(String text) implements Serializable {}

    /** An exception whose class the pool side does not allow. */
    static final class Forbidden extends RuntimeException {
        Forbidden(String message) {
            super(message);
        }
    }

    /** A task that cannot be encoded at all: it holds a thread. */
    record HoldsThread(Thread thread) implements BlockingTask<Integer>, Serializable {
        @Override
        public Integer call() {
            return 0;
        }
    }

    /** The pool side allows Echo only; the remote side allows this whole package. */
    private final PayloadCodec poolCodec = new JavaSerializationCodec(AllowList.of(List.of(Echo.class.getName())));
    private final PayloadCodec remoteCodec = new JavaSerializationCodec(AllowList.of(List.of(RemoteQueueTest.class.getPackageName() + ".*")));

    /** A model whose wire is the test: every run waits in its {@link RemoteQueue}. */
    private final class HeldPool extends AbstractTaskPool {
        final Object guard = new Object();
        final RemoteQueue queue = new RemoteQueue(poolCodec, "the test's remote side");

        HeldPool() {
            super("held", PoolSpec.of(4));
        }

        @Override
        protected void dispatch(TaskRun<?> run) {
            Queued q = queue.encode(run);
            synchronized (guard) {
                queue.add(q);
            }
        }

        Queued next() {
            synchronized (guard) {
                return queue.nextPending();
            }
        }

        @Override
        protected void stopRunning(TaskRun<?> run) {}

        @Override
        protected void releaseWorkers() {}
    }

    @Test
    void aTaskThatCannotBeEncodedIsRefusedAtSubmitNamingItsClassAndWhereItWasGoing() {
        HeldPool pool = new HeldPool();
        RejectedExecutionException e = assertThrows(RejectedExecutionException.class, () -> pool.submit(new HoldsThread(Thread.currentThread())));
        assertInstanceOf(NotEncodableException.class, e.getCause());
        assertTrue(e.getMessage().contains(HoldsThread.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("cannot be sent to the test's remote side"), e.getMessage());
        assertEquals(0, pool.outstanding(), "a refused task is not counted");
        pool.shutdownNow();
    }

    @Test
    void runsCancelledWhileQueuedAreSkippedAndNoLongerPending() {
        HeldPool pool = new HeldPool();
        TaskFuture<Integer> a = pool.submit(new Echo(1)), b = pool.submit(new Echo(2)), c = pool.submit(new Echo(3));
        a.cancel(false);
        c.cancel(false);
        Queued q = pool.next();
        assertNotNull(q);
        assertSame(b, q.run().future(), "the cancelled first run is skipped");
        assertNull(pool.next(), "the cancelled last run is dropped too");
        synchronized (pool.guard) {
            assertFalse(pool.queue.hasPending());
        }
        q.failUnsent(new IllegalStateException("no worker left"));
        assertInstanceOf(IllegalStateException.class, assertThrows(ExecutionException.class, b::get).getCause());
        pool.close();
    }

    @Test
    void takeAllEmptiesTheQueueAndFailUnsentLeavesACancelledRunCancelled() {
        HeldPool pool = new HeldPool();
        TaskFuture<Integer> a = pool.submit(new Echo(1)), b = pool.submit(new Echo(2));
        b.cancel(false);
        List<Queued> all;
        synchronized (pool.guard) {
            assertTrue(pool.queue.hasPending());
            all = pool.queue.takeAll();
            assertFalse(pool.queue.hasPending());
        }
        assertEquals(1, all.size(), "hasPending dropped the cancelled run");
        for (Queued q : all) q.failUnsent(new IllegalStateException("the pool is broken"));
        assertThrows(ExecutionException.class, a::get);
        assertThrows(CancellationException.class, b::get);
        pool.close();
    }

    @Test
    void resultsDecodeAndAResultThePoolMayNotDecodeFailsOnlyItsTask() throws Exception {
        HeldPool pool = new HeldPool();
        TaskFuture<Integer> good = pool.submit(new Echo(7));
        TaskFuture<Integer> bad = pool.submit(new Echo(8));
        Queued first = pool.next(), second = pool.next();
        // the remote side decodes the task, runs it and encodes its answer
        Echo task = (Echo) remoteCodec.decode(first.payload());
        assertTrue(first.run().start(0));
        pool.queue.result(first.run().taskId(), remoteCodec.encode(task.call())).deliver(first.run());
        assertEquals(7, good.get());

        assertTrue(second.run().start(0));
        pool.queue.result(second.run().taskId(), remoteCodec.encode(new Secret("x"))).deliver(second.run());
        NotEncodableException e = assertInstanceOf(NotEncodableException.class, assertThrows(ExecutionException.class, bad::get).getCause());
        assertTrue(e.getMessage().startsWith("the result of task " + second.run().taskId() + " cannot be decoded"), e.getMessage());
        pool.close();
    }

    @Test
    void anExceptionArrivesAsItselfWhenAllowedElseAsTheRemoteCopy() throws Exception {
        HeldPool pool = new HeldPool();
        TaskFuture<Integer> allowed = pool.submit(new Echo(1));
        TaskFuture<Integer> forbidden = pool.submit(new Echo(2));
        Queued first = pool.next(), second = pool.next();
        RemoteException copy = new RemoteException(Forbidden.class.getName(), "secret", new StackTraceElement[0], null);

        assertTrue(first.run().start(0));
        pool.queue.failure(remoteCodec.encode(new IllegalArgumentException("bad input")), () -> copy).deliver(first.run());
        Throwable original = assertThrows(ExecutionException.class, allowed::get).getCause();
        assertInstanceOf(IllegalArgumentException.class, original, "a JDK exception is on every allow-list");
        assertEquals("bad input", original.getMessage());

        assertTrue(second.run().start(0));
        pool.queue.failure(remoteCodec.encode(new Forbidden("secret")), () -> copy).deliver(second.run());
        assertSame(copy, assertThrows(ExecutionException.class, forbidden::get).getCause());

        assertNull(pool.queue.throwable(new byte[0]), "no exception: nothing to decode");
        assertNull(pool.queue.throwable(remoteCodec.encode(7)), "a value is not an exception");
        pool.close();
    }
}
