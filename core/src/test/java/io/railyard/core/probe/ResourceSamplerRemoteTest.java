package io.railyard.core.probe;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Remote processes (cluster members reached as a client) added to a sampler's figures: their CPU
 * from when first seen, their memory as last read, a vanished one keeping the CPU it used. The
 * remote side here is a scripted list of readings; ClusterResourcesTest reads real members.
 */
class ResourceSamplerRemoteTest {

    /** Answers the next scripted reading each time it is read, then repeats the last. */
    static final class Scripted implements RemoteResources {
        private final List<List<Remote>> readings;
        private int next;

        Scripted(List<List<Remote>> readings) {
            this.readings = new ArrayList<>(readings);
        }

        @Override
        public synchronized List<Remote> readRemote() {
            return readings.get(Math.min(next++, readings.size() - 1));
        }
    }

    private static final long MB = 1L << 20, S = 1_000_000_000L;

    @Test
    void remoteCpuCountsFromAttachAndRemoteMemoryAddsToTheTree() {
        Scripted remote = new Scripted(List.of(
                List.of(new RemoteResources.Remote("a", 10 * S, 100 * MB), new RemoteResources.Remote("b", 5 * S, 50 * MB)),
                List.of(new RemoteResources.Remote("a", 12 * S, 300 * MB), new RemoteResources.Remote("b", 6 * S, 60 * MB)),
                // b is gone: its CPU stays counted, its memory does not
                List.of(new RemoteResources.Remote("a", 13 * S, 200 * MB))));
        ResourceSampler sampler = new ResourceSampler(Duration.ofHours(1)).start(); // samples only when told
        long localRss = sampler.latest().rssBytes();
        sampler.attachRemote(remote);  // reading 1: the baseline
        sampler.detachRemote();        // reading 2: a +2 s, b +1 s, 360 MiB
        ResourceSampler.Samples s = sampler.stop();
        ResourceSampler.Sample last = s.series().get(s.series().size() - 1);
        assertTrue(last.cpuNanos() >= 3 * S, "3 s of remote CPU counted from attach: " + last.cpuNanos());
        assertTrue(last.cpuNanos() < 3 * S + 2 * S, "not the CPU the members used before attach: " + last.cpuNanos());
        assertTrue(last.rssBytes() >= 360 * MB && last.rssBytes() < localRss + 360 * MB + 200 * MB, "remote RSS added: " + last.rssBytes());
        assertTrue(s.peakRssBytes() >= 360 * MB);
        assertTrue(last.processes() >= 3, "two remote processes beside the local one: " + last.processes());
    }

    @Test
    void aRemoteProcessThatVanishesKeepsItsCpuButNotItsMemory() {
        Scripted remote = new Scripted(List.of(
                List.of(new RemoteResources.Remote("a", 10 * S, 100 * MB), new RemoteResources.Remote("b", 5 * S, 500 * MB)),
                List.of(new RemoteResources.Remote("a", 12 * S, 100 * MB))));
        ResourceSampler sampler = new ResourceSampler(Duration.ofHours(1)).start();
        long localRss = sampler.latest().rssBytes();
        sampler.attachRemote(remote);
        sampler.detachRemote();
        ResourceSampler.Sample last = stopAndLast(sampler);
        assertTrue(last.cpuNanos() >= 2 * S && last.cpuNanos() < 3 * S, "a +2 s, b nothing since its baseline: " + last.cpuNanos());
        assertTrue(last.rssBytes() >= 100 * MB && last.rssBytes() < localRss + 100 * MB + 200 * MB,
                "b's 500 MiB are no longer counted: " + last.rssBytes());
    }

    @Test
    void withoutARemoteSourceNothingIsAdded() {
        ResourceSampler sampler = new ResourceSampler(Duration.ofHours(1)).start();
        sampler.detachRemote(); // nothing attached: a no-op
        ResourceSampler.Sample last = stopAndLast(sampler);
        assertTrue(last.rssBytes() < 4L << 30, "only this JVM's tree: " + last.rssBytes());
    }

    private static ResourceSampler.Sample stopAndLast(ResourceSampler sampler) {
        ResourceSampler.Samples s = sampler.stop();
        return s.series().get(s.series().size() - 1);
    }
}
