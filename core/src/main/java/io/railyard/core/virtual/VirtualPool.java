package io.railyard.core.virtual;

import io.railyard.core.PoolSpec;
import io.railyard.core.pool.AbstractTaskPool;
import io.railyard.core.pool.SlotDispatcher;
import io.railyard.core.pool.TaskRun;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code virtual} model (beyond the seed): one virtual thread per task, at most
 * {@code concurrency} at once. Blocking code that parks (sockets, sleeps, locks) releases its
 * carrier thread, so thousands of tasks wait at loop-like cost while the code stays blocking.
 * CPU-bound work runs on the JDK's carrier pool, one carrier per core.
 *
 * <pre>
 *   submit --> [ queue ] --(free slot)--> new virtual thread --> task --> release slot --> next
 * </pre>
 *
 * There is no dispatcher thread: {@link SlotDispatcher} starts the next task on the thread that
 * submits or that finishes one. {@link io.railyard.core.TaskContext#worker()} is a lane number in
 * {@code [0, concurrency)}, reused as tasks finish, so timelines have one lane per slot.
 *
 * <p>Thread-safe.
 */
public final class VirtualPool extends AbstractTaskPool {

    private final SlotDispatcher slots;
    private final ConcurrentLinkedQueue<Integer> freeLanes = new ConcurrentLinkedQueue<>();
    private final AtomicInteger lanes = new AtomicInteger();
    private final ThreadFactory factory = Thread.ofVirtual().name("railyard-virtual-", 0).factory();

    public VirtualPool(PoolSpec spec) {
        super("virtual", spec);
        this.slots = new SlotDispatcher(concurrency, this::launch);
    }

    private void launch(TaskRun<?> run) {
        Integer free = freeLanes.poll();
        int lane = free != null ? free : lanes.getAndIncrement();
        factory.newThread(new LaneRun(run, lane)).start();
    }

    /**
     * A virtual thread's whole body: its task on its lane, then the lane and the slot given back. A
     * class rather than a lambda, whose generated class adds a frame: a parked virtual thread
     * keeps every frame beneath its park on the heap.
     */
    private final class LaneRun implements Runnable {
        private final TaskRun<?> run;
        private final int lane;

        LaneRun(TaskRun<?> run, int lane) {
            this.run = run;
            this.lane = lane;
        }

        @Override
        public void run() {
            try {
                run.runBlocking(lane);
            } finally {
                freeLanes.add(lane);
                slots.release();
            }
        }
    }

    public VirtualPool(int concurrency) {
        this(PoolSpec.of(concurrency));
    }

    @Override
    protected void dispatch(TaskRun<?> run) {
        slots.offer(run);
    }

    @Override
    protected void stopRunning(TaskRun<?> run) {
        run.interruptRunner();
    }

    @Override
    protected void releaseWorkers() {
        // nothing to release: a virtual thread ends with its task
    }
}
