package io.railyard.core.probe;

import java.util.List;

/**
 * A pool whose work runs in processes outside this JVM's process tree — cluster members reached as
 * a client, maybe on other machines — and that can read their CPU and memory, so that a run's
 * figures count what the work really cost. A {@link ResourceSampler} the pool is
 * {@linkplain ResourceSampler#attachRemote attached} to adds them to every sample.
 *
 * <p>Implementations are thread-safe: the sampler's thread calls {@link #readRemote()}.
 */
public interface RemoteResources {

    /**
     * One remote process now.
     *
     * @param id       stable for the process's life (a member's uuid), so that its CPU is counted
     *                 from when it was first seen
     * @param cpuNanos its cumulative CPU time
     * @param rssBytes its resident memory
     */
    record Remote(String id, long cpuNanos, long rssBytes) {}

    /**
     * Reads every remote process the pool's work runs in: a network round trip, bounded in time.
     * A process that does not answer is left out; never throws.
     */
    List<Remote> readRemote();
}
