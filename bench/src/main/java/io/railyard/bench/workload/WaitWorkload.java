package io.railyard.bench.workload;

import io.railyard.core.AsyncTask;
import io.railyard.core.BlockingTask;
import io.railyard.core.SingleEventLoop;
import io.railyard.core.TaskContext;
import io.railyard.core.TaskPool;
import io.railyard.loop.LoopPool;
import io.railyard.loop.LoopPrimitives;
import io.railyard.loop.LoopReport;
import io.railyard.loop.LoopTimers;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The seed's limit of the loop, "all awaited tasks are long-running ones", provoked: N tasks that
 * each wait L milliseconds, at most C in flight, written three ways ({@link Form}):
 * <ul>
 *   <li>{@code await}: a non-blocking wait (the loop's timer; asyncio.sleep). The loop's best case.</li>
 *   <li>{@code block}: one blocking call per task (Thread.sleep; time.sleep). Threads wait side by
 *       side; on the loop each call holds the one loop thread, so the tasks run one after another,
 *       throughput falls to 1 / L and the loop's lag grows to the length of the stall.</li>
 *   <li>{@code offload}: the same blocking call handed to the loop's helper threads
 *       ({@code toThread}; asyncio.to_thread), which keeps the loop free: the seed's "Performance
 *       Optimization" for a library that only blocks, bounded by the helper pool's size.</li>
 * </ul>
 * The physical limit is {@code ceil(N / C) * L}. On the loop the run's parameters carry the loop's
 * own blocked-loop figures ({@link LoopFigures}: slow callbacks, lag).
 *
 * <p>Not thread-safe: one harness thread.
 */
public final class WaitWorkload implements Workload {

    /** How a task waits. */
    public enum Form {
        AWAIT("await", "a non-blocking wait (loop timer; asyncio.sleep)", List.of("loop", "asyncio")),
        BLOCK("block", "one blocking call per task (Thread.sleep; time.sleep)", List.of("threads", "virtual", "loop", "threading", "asyncio")),
        OFFLOAD("offload", "the blocking call offloaded to helper threads (toThread; asyncio.to_thread)", List.of("loop", "asyncio"));

        /** The workload's name in compare. */
        public final String work;
        final String how;
        /** The models the form is run on (see {@link #unsupportedReason}). */
        final List<String> models;

        Form(String work, String how, List<String> models) {
            this.work = work;
            this.how = how;
            this.models = models;
        }
    }

    /** Waits {@code millis} with a blocking call: Thread.sleep, as a library that only blocks would. */
    public record Sleep(long millis) implements BlockingTask<Long> {
        @Override
        public Long call() throws InterruptedException {
            Thread.sleep(millis);
            return millis;
        }
    }

    /** Waits {@code millis} on the loop's timer: the loop thread is free meanwhile. */
    public record TimerWait(long millis) implements AsyncTask<Long> {
        @Override
        public CompletionStage<Long> start(TaskContext ctx) {
            return ctx.facility(LoopTimers.class).sleep(Duration.ofMillis(millis)).thenApply(v -> millis);
        }
    }

    /** Hands {@link Sleep} to the loop's helper threads and awaits it without blocking the loop. */
    public record Offloaded(long millis) implements AsyncTask<Long> {
        @Override
        public CompletionStage<Long> start(TaskContext ctx) {
            return ctx.facility(LoopPrimitives.class).toThread(new Sleep(millis));
        }
    }

    private final Form form;
    private final int n;
    private final int latencyMs;
    private LoopReport loopReport;

    public WaitWorkload(Form form, int n, int latencyMs) {
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, was " + n);
        if (latencyMs < 1) throw new IllegalArgumentException("latency must be >= 1 ms, was " + latencyMs);
        this.form = form;
        this.n = n;
        this.latencyMs = latencyMs;
    }

    @Override
    public String name() {
        return form.work;
    }

    @Override
    public long tasks() {
        return n;
    }

    public int latencyMs() {
        return latencyMs;
    }

    @Override
    public double limitSeconds(int concurrency) {
        return Math.ceil((double) n / concurrency) * latencyMs / 1000.0;
    }

    @Override
    public boolean supports(String model) {
        return form.models.contains(model);
    }

    @Override
    public String unsupportedReason(String model) {
        return switch (form) {
            case AWAIT -> "a non-blocking wait needs an event loop; " + model + " waits with a blocking call (see the block work)";
            case OFFLOAD -> "offloading frees an event loop's one thread; " + model + " has none to free";
            case BLOCK -> "a blocking call holds one worker of " + model + " as it holds one thread: measured on "
                    + (model.equals("multiprocessing") ? "threading" : "threads");
        };
    }

    @Override
    public Tally runOnce(TaskPool pool, Progress progress) throws InterruptedException {
        boolean loop = pool.has(SingleEventLoop.class);
        if (form != Form.BLOCK && !loop) throw new IllegalArgumentException(unsupportedReason(pool.model()));
        Outcomes outcomes = new Outcomes(n, progress);
        for (int i = 0; i < n; i++) {
            switch (form) {
                case AWAIT -> outcomes.track(pool.submitAsync(new TimerWait(latencyMs)));
                case OFFLOAD -> outcomes.track(pool.submitAsync(new Offloaded(latencyMs)));
                case BLOCK -> outcomes.track(pool.submit(new Sleep(latencyMs)));
            }
        }
        Tally tally = outcomes.await();
        loopReport = pool.capability(LoopPool.class).map(LoopPool::report).orElse(null);
        return tally;
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("n", n);
        p.put("latency_ms", latencyMs);
        p.put("form", form.how);
        p.putAll(LoopFigures.of(loopReport));
        return p;
    }
}
