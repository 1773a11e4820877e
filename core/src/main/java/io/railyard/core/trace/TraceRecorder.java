package io.railyard.core.trace;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Collects one {@link TaskRecord} per finished task, cheaply enough to leave on: a record costs one
 * atomic increment and eight array stores into preallocated blocks (no allocation per task, no
 * lock). The cost is measured by {@code TraceOverheadBenchmark} in the bench module.
 *
 * <p>Thread-safe: any number of threads {@link #record} concurrently. {@link #snapshot()} sees every
 * record whose {@code record} call returned before the snapshot began (call it after the run).
 * Beyond {@link #capacity()} records, further ones are counted in {@link #dropped()} and not kept.
 */
public final class TraceRecorder {

    private static final int BLOCK_BITS = 12;
    private static final int BLOCK = 1 << BLOCK_BITS;
    private static final Outcome[] OUTCOMES = Outcome.values();

    /** Struct of arrays, one block of {@link #BLOCK} records at a time. */
    private static final class Block {
        final long[] id = new long[BLOCK], submit = new long[BLOCK], start = new long[BLOCK],
                end = new long[BLOCK], cpu = new long[BLOCK];
        final int[] worker = new int[BLOCK];
        final byte[] outcome = new byte[BLOCK];
        final boolean[] estimated = new boolean[BLOCK];
        /** Set last by the writer, so a reader that sees it sees the rest of the slot. */
        final java.util.concurrent.atomic.AtomicIntegerArray written = new java.util.concurrent.atomic.AtomicIntegerArray(BLOCK);
    }

    private final int capacity;
    private final AtomicReferenceArray<Block> blocks;
    private final AtomicLong cursor = new AtomicLong();
    private final boolean enabled;

    /** A recorder keeping up to {@code capacity} records. */
    public TraceRecorder(int capacity) {
        this.capacity = capacity;
        this.enabled = capacity > 0;
        this.blocks = new AtomicReferenceArray<>(Math.max(1, (capacity + BLOCK - 1) / BLOCK));
    }

    /** A recorder that records nothing; {@link #record} is a no-op. */
    public static TraceRecorder disabled() {
        return new TraceRecorder(0);
    }

    public boolean enabled() {
        return enabled;
    }

    public int capacity() {
        return capacity;
    }

    public void record(long taskId, long submitNanos, long startNanos, long endNanos, int worker, Outcome outcome, long cpuNanos) {
        record(taskId, submitNanos, startNanos, endNanos, worker, outcome, cpuNanos, false);
    }

    /** A record whose start may be an estimate ({@link TaskRecord#startEstimated()}). */
    public void record(long taskId, long submitNanos, long startNanos, long endNanos, int worker, Outcome outcome, long cpuNanos,
                       boolean startEstimated) {
        if (!enabled) return;
        long i = cursor.getAndIncrement();
        if (i >= capacity) return;
        Block b = block((int) (i >>> BLOCK_BITS));
        int j = (int) (i & (BLOCK - 1));
        b.id[j] = taskId;
        b.submit[j] = submitNanos;
        b.start[j] = startNanos;
        b.end[j] = endNanos;
        b.cpu[j] = cpuNanos;
        b.worker[j] = worker;
        b.outcome[j] = (byte) outcome.ordinal();
        b.estimated[j] = startEstimated;
        b.written.setRelease(j, 1); // publishes the slot; cheaper than a volatile store
    }

    /** Records that did not fit in the capacity. */
    public long dropped() {
        return Math.max(0, cursor.get() - capacity);
    }

    /**
     * Every complete record so far, in the order they were recorded: an unmodifiable list read from
     * the recorder's own arrays, each record made when it is asked for. A run's end thus allocates
     * nothing per task (a list of 30,000 records would be 2 MB, made when the heap is fullest).
     * Records made later are not in it.
     */
    public List<TaskRecord> snapshot() {
        int n = (int) Math.min(cursor.get(), capacity);
        int whole = 0;
        while (whole < n && written(whole)) whole++;
        if (whole == n) return new Snapshot(null, n); // every slot written: the usual case, after a run
        // a record still being written: list the slots written now (a slot once written stays so)
        int[] slots = new int[n];
        int k = 0;
        for (int i = 0; i < n; i++) if (written(i)) slots[k++] = i;
        return new Snapshot(Arrays.copyOf(slots, k), k);
    }

    private boolean written(int slot) {
        Block b = blocks.get(slot >>> BLOCK_BITS);
        return b != null && b.written.getAcquire(slot & (BLOCK - 1)) != 0;
    }

    /** The records of some slots: all of the first {@code size} when {@code slots} is null. */
    private final class Snapshot extends AbstractList<TaskRecord> implements RandomAccess {
        private final int[] slots;
        private final int size;

        Snapshot(int[] slots, int size) {
            this.slots = slots;
            this.size = size;
        }

        @Override
        public TaskRecord get(int index) {
            Objects.checkIndex(index, size);
            int i = slots == null ? index : slots[index];
            Block b = blocks.get(i >>> BLOCK_BITS);
            int j = i & (BLOCK - 1);
            return new TaskRecord(b.id[j], b.submit[j], b.start[j], b.end[j], b.worker[j], OUTCOMES[b.outcome[j]], b.cpu[j], b.estimated[j]);
        }

        @Override
        public int size() {
            return size;
        }
    }

    private Block block(int index) {
        Block b = blocks.get(index);
        if (b != null) return b;
        Block fresh = new Block();
        return blocks.compareAndSet(index, null, fresh) ? fresh : blocks.get(index);
    }
}
