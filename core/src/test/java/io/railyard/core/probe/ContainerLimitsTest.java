package io.railyard.core.probe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.*;

class ContainerLimitsTest {

    @TempDir
    Path root;

    private void write(String rel, String content) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    @Test
    void cgroupV2LimitsAreReadAndTheTightestAncestorWins() throws IOException {
        write("proc/meminfo", "MemTotal:       16384000 kB\nMemFree: 1 kB\n");
        write("proc/self/cgroup", "0::/app/job\n");
        write("proc/self/mountinfo", "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        write("sys/fs/cgroup/app/memory.max", "536870912\n");   // 512 MiB on the parent
        write("sys/fs/cgroup/app/job/memory.max", "max\n");     // none on the job itself
        write("sys/fs/cgroup/app/job/cpu.max", "150000 100000\n");
        write("sys/fs/cgroup/app/cpu.max", "max 100000\n");

        ContainerLimits l = ContainerLimits.read(root);
        assertEquals("cgroup v2", l.source());
        assertEquals(536870912L, l.memoryLimitBytes().getAsLong());
        assertEquals(1.5, l.cpuLimitCores().getAsDouble(), 1e-9);
        assertEquals(16384000L * 1024, l.machineMemoryBytes());
        assertEquals(536870912L, l.effectiveMemoryBytes());
    }

    @Test
    void cgroupV2WithoutLimitsHasNone() throws IOException {
        write("proc/self/cgroup", "0::/\n");
        write("proc/self/mountinfo", "30 23 0:26 / /sys/fs/cgroup rw - cgroup2 cgroup2 rw\n");
        write("sys/fs/cgroup/memory.max", "max\n");
        write("sys/fs/cgroup/cpu.max", "max 100000\n");
        ContainerLimits l = ContainerLimits.read(root);
        assertTrue(l.memoryLimitBytes().isEmpty());
        assertTrue(l.cpuLimitCores().isEmpty());
        assertEquals(l.availableProcessors(), l.effectiveCores());
    }

    @Test
    void cgroupV1LimitsAreReadThroughMountinfo() throws IOException {
        write("proc/self/cgroup", "4:memory:/docker/abc\n2:cpu,cpuacct:/docker/abc\n");
        write("proc/self/mountinfo",
                "35 31 0:32 /docker/abc /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
                        + "32 31 0:29 /docker/abc /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct\n");
        // the container sees its own cgroup at the mount point
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", "268435456\n");
        write("sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "50000\n");
        write("sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
        ContainerLimits l = ContainerLimits.read(root);
        assertEquals("cgroup v1", l.source());
        assertEquals(268435456L, l.memoryLimitBytes().getAsLong());
        assertEquals(0.5, l.cpuLimitCores().getAsDouble(), 1e-9);
    }

    @Test
    void cgroupV1UnlimitedValuesMeanNoLimit() throws IOException {
        write("proc/self/cgroup", "4:memory:/\n1:cpu:/\n");
        write("proc/self/mountinfo",
                "35 31 0:32 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n"
                        + "32 31 0:29 / /sys/fs/cgroup/cpu rw - cgroup cgroup rw,cpu\n");
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        write("sys/fs/cgroup/cpu/cpu.cfs_quota_us", "-1\n");
        write("sys/fs/cgroup/cpu/cpu.cfs_period_us", "100000\n");
        ContainerLimits l = ContainerLimits.read(root);
        assertTrue(l.memoryLimitBytes().isEmpty());
        assertTrue(l.cpuLimitCores().isEmpty());
    }

    @Test
    void noCgroupsAtAllIsNoLimit() {
        ContainerLimits l = ContainerLimits.read(root);
        assertEquals("none", l.source());
        assertTrue(l.memoryLimitBytes().isEmpty());
    }

    @Test
    void thisMachineCanBeRead() {
        ContainerLimits l = ContainerLimits.read();
        assertTrue(l.machineMemoryBytes() > 0);
        assertTrue(l.effectiveCores() > 0);
    }
}
