package io.railyard.cluster;

import io.railyard.core.probe.ProcessTreeProbe;

import java.util.concurrent.Callable;

/**
 * Reads the member's own CPU time and resident memory (its process and any children), so that a
 * pool working as a client counts what its tasks cost on the members
 * ({@link io.railyard.core.probe.RemoteResources}). Answers {@code {cpuNanos, rssBytes}}. Sent to
 * the member's control executor, never queued behind tasks; no fields, serialized by {@link Wire}.
 */
final class ResourcesTask implements Callable<long[]> {
    @Override
    public long[] call() {
        ProcessTreeProbe.Reading r = ProcessTreeProbe.reading(ProcessTreeProbe.descendants());
        return new long[]{r.cpuNanos(), r.rssBytes()};
    }
}
