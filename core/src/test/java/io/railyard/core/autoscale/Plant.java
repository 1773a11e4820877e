package io.railyard.core.autoscale;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A simulated run for the controllers to steer, advanced one 50 ms sample at a time: tasks of a
 * given duration and CPU cost on a machine with so many cores, memory growing with the units
 * running, a server that answers 429 beyond its capacity, a loop that lags with load. Readings get
 * seeded noise (a clock-tick's worth of CPU, a few hundred KiB of RSS), so the algorithms are
 * tested against imperfect signals, reproducibly. The queue is always full (a saturated run).
 *
 * <p>It is not a model of the pool: the controllers under test are the real ones, fed the same
 * {@link Observation}s the pool builds; what is simulated is the world they control.
 */
final class Plant {
    static final long MIB = 1L << 20;
    static final long SAMPLE_NANOS = 50_000_000L;

    double taskSeconds = 0.02;
    double cpuPerTask = 0.001;
    double cores = 2;
    long baseRss = 100 * MIB;
    long perUnitRss = MIB;
    /** Extra base memory added per second (another process growing), from {@link #growFromS}. */
    long growthPerS;
    double growFromS = Double.MAX_VALUE;
    int serverCapacity = Integer.MAX_VALUE;
    double lagMsPerTask;
    /** Models with worker processes: units are workers, which exist as the controller asks. */
    boolean workers;

    private final Random random;
    private long nanos;
    private double completed, completedNanos, completedSquares, cpuNanos, responses, overloads;
    private int limit = 1;
    private int alive = 1;
    private long extraBase;
    long peakRss;
    final List<Long> rssSeries = new ArrayList<>();
    final List<Integer> limits = new ArrayList<>();

    Plant(long seed) {
        this.random = new Random(seed);
    }

    /** Runs {@code controller} for {@code seconds} of simulated time; returns its decisions. */
    List<ScalingDecision> run(Controller controller, double seconds) {
        List<ScalingDecision> log = new ArrayList<>();
        apply(controller.initial());
        long end = nanos + (long) (seconds * 1e9);
        while (nanos < end) {
            step();
            apply(controller.onSample(observe(), log::add));
        }
        return log;
    }

    private void apply(Verdict v) {
        limit = Math.max(1, v.limit());
        alive = workers ? Math.max(1, v.workers()) : -1;
        limits.add(limit);
    }

    int running() {
        return workers ? Math.min(limit, alive) : limit;
    }

    private void step() {
        double dt = SAMPLE_NANOS / 1e9;
        nanos += SAMPLE_NANOS;
        int n = running();
        double demand = n * cpuPerTask;
        double speed = demand > cores ? cores / demand : 1;
        // tasks over the server's capacity are answered 429 at once and retried: they finish nothing
        int served = Math.min(n, serverCapacity);
        double done = served * speed * dt / taskSeconds;
        completed += done;
        completedNanos += done * taskSeconds * 1e9 / speed;
        completedSquares += done * (taskSeconds / speed) * (taskSeconds / speed);
        cpuNanos += Math.min(demand, cores) * dt * 1e9;
        responses += done + (n - served) * dt / 0.002; // a 429 comes back in 2 ms
        overloads += (n - served) * dt / 0.002;
        if (nanos / 1e9 >= growFromS) extraBase += (long) (growthPerS * dt);
    }

    private Observation observe() {
        int n = running();
        long units = workers ? alive : n;
        long noise = (long) (random.nextGaussian() * 256 * 1024);
        long base = baseRss + extraBase;
        long rss = base + units * perUnitRss + noise;
        peakRss = Math.max(peakRss, rss);
        rssSeries.add(rss);
        long cpuNoise = (long) ((random.nextDouble() - 0.5) * 10_000_000); // a 10 ms clock tick
        double lag = lagMsPerTask > 0 ? n * lagMsPerTask * 1e6 : -1;
        LoadReading load = new LoadReading(rss, Math.max(0, (long) cpuNanos + cpuNoise),
                workers ? units * perUnitRss : 0, workers ? perUnitRss : 0, (long) lag);
        return new Observation(nanos, load, n, 1_000_000, workers ? alive : -1,
                (long) completed, (long) completedNanos, completedSquares, (long) responses, (long) overloads);
    }

    double seconds() {
        return nanos / 1e9;
    }

    long completed() {
        return (long) completed;
    }

    int limit() {
        return limit;
    }
}
