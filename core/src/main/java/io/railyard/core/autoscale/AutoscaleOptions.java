package io.railyard.core.autoscale;

import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * How an {@link AutoscaledPool} scales, beyond its {@link Budget}. Immutable; start from
 * {@link #DEFAULT} and change what you need with the {@code with...} methods.
 *
 * @param mode           which algorithm: {@link Mode#RAILYARD} (the default) or {@link Mode#CRAWLEE} (the baseline)
 * @param samplePeriod   how often the load is read and the gate re-computed (railyard mode; the
 *                       Crawlee mode keeps Crawlee's own intervals on top of it)
 * @param load           where readings come from; {@code null}: this JVM's process tree
 * @param loopLag        the event loop's current lag in nanoseconds, for the {@code loop} model;
 *                       {@code null}: taken from the model if it is {@link io.railyard.core.LagReporting}
 * @param maxLag         loop lag above which the loop counts as overloaded (Crawlee's maxBlockedMillis, 50 ms)
 * @param maxClientOverloadShare share of client answers saying "overloaded" (429/503) above which the
 *                       client side counts as overloaded (railyard mode)
 * @param stopTasksOnMemoryGrowth whether the railyard mode may stop the youngest running task when
 *                       memory keeps growing past the margin (the task fails with {@link OverBudgetException});
 *                       without it a task that allocates without bound can still cross the budget
 * @param listener       told of every scaling decision as it is taken, on the sampling thread; {@code null}: nobody
 */
public record AutoscaleOptions(Mode mode, Duration samplePeriod, LoadSource load, LongSupplier loopLag,
                               Duration maxLag, double maxClientOverloadShare, boolean stopTasksOnMemoryGrowth,
                               Consumer<ScalingDecision> listener) {

    public static final AutoscaleOptions DEFAULT = new AutoscaleOptions(Mode.RAILYARD, Duration.ofMillis(50), null, null,
            Duration.ofMillis(50), 0.05, true, null);

    /** The scaling algorithm. */
    public enum Mode {
        /** railyard's: multiplicative ramp, throughput-checked steps, memory projected before admission. */
        RAILYARD,
        /** Crawlee's classic AutoscaledPool with its default settings: the baseline. */
        CRAWLEE;

        /** The mode named {@code name} ("railyard", "crawlee"), case-insensitively. */
        public static Mode parse(String name) {
            for (Mode m : values()) if (m.name().equalsIgnoreCase(name.trim())) return m;
            throw new IllegalArgumentException("unknown autoscale mode '" + name + "': choose railyard or crawlee");
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public AutoscaleOptions {
        if (mode == null) throw new IllegalArgumentException("mode must be given");
        if (samplePeriod == null || samplePeriod.toMillis() < 1)
            throw new IllegalArgumentException("samplePeriod must be at least 1 ms, was " + samplePeriod);
        if (maxLag == null || maxLag.isNegative() || maxLag.isZero())
            throw new IllegalArgumentException("maxLag must be positive, was " + maxLag);
        if (!(maxClientOverloadShare > 0 && maxClientOverloadShare < 1))
            throw new IllegalArgumentException("maxClientOverloadShare must be between 0 and 1, was " + maxClientOverloadShare);
    }

    public AutoscaleOptions withMode(Mode mode) {
        return new AutoscaleOptions(mode, samplePeriod, load, loopLag, maxLag, maxClientOverloadShare, stopTasksOnMemoryGrowth, listener);
    }

    public AutoscaleOptions withSamplePeriod(Duration samplePeriod) {
        return new AutoscaleOptions(mode, samplePeriod, load, loopLag, maxLag, maxClientOverloadShare, stopTasksOnMemoryGrowth, listener);
    }

    public AutoscaleOptions withLoad(LoadSource load) {
        return new AutoscaleOptions(mode, samplePeriod, load, loopLag, maxLag, maxClientOverloadShare, stopTasksOnMemoryGrowth, listener);
    }

    public AutoscaleOptions withLoopLag(LongSupplier loopLag) {
        return new AutoscaleOptions(mode, samplePeriod, load, loopLag, maxLag, maxClientOverloadShare, stopTasksOnMemoryGrowth, listener);
    }

    public AutoscaleOptions withMaxLag(Duration maxLag) {
        return new AutoscaleOptions(mode, samplePeriod, load, loopLag, maxLag, maxClientOverloadShare, stopTasksOnMemoryGrowth, listener);
    }

    public AutoscaleOptions withMaxClientOverloadShare(double share) {
        return new AutoscaleOptions(mode, samplePeriod, load, loopLag, maxLag, share, stopTasksOnMemoryGrowth, listener);
    }

    public AutoscaleOptions withStopTasksOnMemoryGrowth(boolean stop) {
        return new AutoscaleOptions(mode, samplePeriod, load, loopLag, maxLag, maxClientOverloadShare, stop, listener);
    }

    public AutoscaleOptions withListener(Consumer<ScalingDecision> listener) {
        return new AutoscaleOptions(mode, samplePeriod, load, loopLag, maxLag, maxClientOverloadShare, stopTasksOnMemoryGrowth, listener);
    }
}
