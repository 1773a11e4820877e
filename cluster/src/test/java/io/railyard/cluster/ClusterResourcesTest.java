package io.railyard.cluster;

import io.railyard.cluster.MemberProcesses.Member;
import io.railyard.cluster.jobs.ClusterJobs.Work;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFuture;
import io.railyard.core.probe.ProcessTreeProbe;
import io.railyard.core.probe.RemoteResources;
import io.railyard.core.probe.ResourceSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A pool working as a client counts what its tasks cost on the members: a member process does CPU
 * work, and the sampler's CPU and memory include that member, read through {@link RemoteResources}.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterResourcesTest {

    @TempDir
    Path dir;

    @Test
    void aClientCountsTheMembersCpuAndMemory() throws Exception {
        try (MemberProcesses procs = new MemberProcesses()) {
            MemberOptions o = MemberProcesses.testMember("resources");
            Member m = procs.start(o, null);
            ClusterPoolOptions options = MemberProcesses.clientOf(o, m);
            try (ClusterPool pool = new ClusterPool(PoolSpec.of(1), options)) {
                List<RemoteResources.Remote> first = pool.readRemote();
                assertEquals(1, first.size(), "one member, read over the wire: " + first);
                long memberRss = ProcessTreeProbe.rssBytes(m.pid());
                assertTrue(first.get(0).rssBytes() > memberRss / 2 && first.get(0).rssBytes() < memberRss * 2,
                        "the member's own RSS (" + memberRss + "): " + first.get(0));

                ResourceSampler sampler = ResourceSampler.every20ms().start();
                sampler.attachRemote(pool);
                long localCpu0 = ProcessTreeProbe.cpuNanos();
                List<TaskFuture<String>> fs = new ArrayList<>();
                for (int i = 0; i < 4; i++) fs.add(pool.submit(new Work(dir.toString(), i, 27, 300)));
                for (TaskFuture<String> f : fs) f.get(120, TimeUnit.SECONDS);
                sampler.detachRemote();
                long localCpu = ProcessTreeProbe.cpuNanos() - localCpu0;
                ResourceSampler.Samples s = sampler.stop();

                long memberCpu = pool.readRemote().get(0).cpuNanos() - first.get(0).cpuNanos();
                assertTrue(memberCpu > 200_000_000L, "the member worked: " + memberCpu / 1e6 + " ms CPU");
                assertTrue(s.cpuNanos() >= localCpu + memberCpu * 8 / 10,
                        "the sampled CPU " + s.cpuNanos() / 1e6 + " ms holds this JVM's " + localCpu / 1e6 + " ms and most of the member's "
                                + memberCpu / 1e6 + " ms");
                assertTrue(s.peakRssBytes() > ProcessTreeProbe.rssBytes() + memberRss / 2,
                        "the peak holds the member's memory: " + s.peakRssBytes());
            }
        }
    }

    @Test
    void anEmbeddedMemberIsNotCountedTwice() {
        try (ClusterPool pool = new ClusterPool(PoolSpec.of(1), ClusterPoolOptions.DEFAULT)) {
            assertEquals(List.of(), pool.readRemote(), "the member in this JVM is in this JVM's own figures");
        }
    }
}
