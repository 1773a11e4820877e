package io.railyard.core.autoscale;

/**
 * The scaling algorithm behind an {@link AutoscaledPool}: fed one {@link Observation} per sample,
 * it answers how many tasks may run. Two exist: {@link RailyardController} (the default) and
 * {@link CrawleeController} (Crawlee's AutoscaledPool, the baseline).
 *
 * <p>Not thread-safe: the pool calls it from its sampling tick only, one sample at a time.
 */
sealed interface Controller permits RailyardController, CrawleeController {

    /** The answer to the first sample's question before any sample: where a run starts. */
    Verdict initial();

    /** One sample; decisions taken are handed to {@code log}. */
    Verdict onSample(Observation o, DecisionLog log);

    /** Receives every scaling decision, on the sampling thread. */
    @FunctionalInterface
    interface DecisionLog {
        void decided(ScalingDecision decision);
    }
}
