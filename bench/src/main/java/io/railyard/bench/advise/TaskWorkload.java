package io.railyard.bench.advise;

import io.railyard.bench.workload.Workload;
import io.railyard.core.BlockingTask;
import io.railyard.core.TaskFunction;
import io.railyard.core.TaskPool;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A user's task as a workload: {@code n} calls of the function on the inputs (cycled), at most C
 * in flight, stopped early once {@code maxSeconds} have passed so that a slow task cannot make
 * advice take minutes. The limit assumes CPU-bound work: the inputs' serial time on one thread
 * divided by min(cores, C), measured once by {@link #calibrate()}.
 *
 * <p>Not thread-safe: one harness thread (completion callbacks only count and release permits).
 */
final class TaskWorkload implements Workload {

    /** One call of the user's function: serializable so that worker processes can run it. */
    record Call(TaskFunction<String, ?> fn, String input) implements BlockingTask<Object> {
        @Override
        public Object call() throws Exception {
            return fn.apply(input);
        }
    }

    private final TaskFunction<String, ?> fn;
    private final List<String> inputs;
    private final int n;
    private final double maxSeconds;
    private final int cores = Runtime.getRuntime().availableProcessors();
    private double serialSeconds = -1;

    TaskWorkload(TaskFunction<String, ?> fn, List<String> inputs, int n, double maxSeconds) {
        this.fn = fn;
        this.inputs = inputs;
        this.n = n;
        this.maxSeconds = maxSeconds;
    }

    /**
     * Runs every input once on this thread (which also warms the code up and shows a broken task
     * before any pool opens) and returns the mean seconds per call.
     *
     * @throws TaskFailsOnInputException naming the input on which the task failed
     */
    double calibrate() {
        if (serialSeconds >= 0) return serialSeconds;
        long t0 = System.nanoTime();
        for (int i = 0; i < inputs.size(); i++) {
            try {
                fn.apply(inputs.get(i));
            } catch (Exception | LinkageError e) {
                throw new TaskFailsOnInputException("the task failed on input line " + (i + 1) + " ('" + abbreviate(inputs.get(i)) + "'): "
                        + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
            }
        }
        serialSeconds = (System.nanoTime() - t0) / 1e9 / inputs.size();
        return serialSeconds;
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    @Override
    public String name() {
        return "task";
    }

    @Override
    public long tasks() {
        return n;
    }

    @Override
    public double limitSeconds(int concurrency) {
        return n * calibrate() / Math.min(cores, concurrency);
    }

    @Override
    public Tally runOnce(TaskPool pool, Progress progress) throws Exception {
        int c = pool.concurrency();
        Semaphore slots = new Semaphore(c);
        AtomicLong ok = new AtomicLong(), failed = new AtomicLong();
        long deadline = System.nanoTime() + (long) (maxSeconds * 1e9);
        for (int i = 0; i < n && System.nanoTime() < deadline; i++) {
            if (!slots.tryAcquire(300, TimeUnit.SECONDS)) throw new IllegalStateException("no task finished in 300 s");
            pool.submit(new Call(fn, inputs.get(i % inputs.size()))).whenComplete((v, e) -> {
                if (e == null) ok.incrementAndGet();
                else failed.incrementAndGet();
                slots.release();
                progress.taskDone(ok.get(), failed.get());
            });
        }
        if (!slots.tryAcquire(c, 300, TimeUnit.SECONDS)) throw new IllegalStateException("the last tasks did not finish in 300 s");
        return new Tally(ok.get(), failed.get());
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("task", fn.getClass().getName());
        p.put("inputs", inputs.size());
        p.put("n", n);
        p.put("serial_task_s", calibrate());
        return p;
    }
}
