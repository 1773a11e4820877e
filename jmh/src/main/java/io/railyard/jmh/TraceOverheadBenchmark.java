package io.railyard.jmh;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.core.threads.ThreadsPool;
import io.railyard.core.trace.Outcome;
import io.railyard.core.trace.TraceRecorder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

/**
 * What per-task tracing costs, so that it can stay on: the raw cost of one record (two threads
 * recording at once), and a whole submit-run-join round trip of a trivial task on a threads pool
 * with tracing off and on.
 *
 * <pre>java -jar jmh/target/benchmarks.jar TraceOverhead</pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TraceOverheadBenchmark {

    @State(Scope.Benchmark)
    public static class Recorder {
        TraceRecorder trace;

        @Setup(Level.Iteration)
        public void setUp() {
            trace = new TraceRecorder(50_000_000);
        }
    }

    @Benchmark
    @Threads(2)
    public void recordOne(Recorder r) {
        r.trace.record(1, 2, 3, 4, 0, Outcome.OK, -1);
    }

    @State(Scope.Benchmark)
    public static class Pool {
        @Param({"false", "true"})
        boolean traced;
        TaskPool pool;

        @Setup(Level.Trial)
        public void open() {
            TraceRecorder trace = traced ? new TraceRecorder(50_000_000) : TraceRecorder.disabled();
            pool = new ThreadsPool(PoolSpec.of(2).withTrace(trace));
        }

        @TearDown(Level.Trial)
        public void close() {
            pool.close();
        }
    }

    @Benchmark
    public Integer submitAndJoin(Pool p) {
        return p.pool.submit(() -> 1).join();
    }
}
