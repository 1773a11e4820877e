package io.railyard.core.probe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * The CPU and memory limits of the container this JVM lives in, read from cgroup v2 or v1, because a
 * budget must come from the container, not from the host's totals. A limit set on any ancestor
 * cgroup applies too, so each hierarchy is walked up to its mount and the tightest limit wins.
 *
 * <ul>
 *   <li>v2: {@code memory.max} ("max" = none) and {@code cpu.max} ("QUOTA PERIOD" or "max PERIOD");</li>
 *   <li>v1: {@code memory.limit_in_bytes} (values near 2^63 = none) and {@code cpu.cfs_quota_us} /
 *       {@code cpu.cfs_period_us} (quota -1 = none).</li>
 * </ul>
 * Cgroup paths are resolved through /proc/self/mountinfo (mount root and mount point), as a
 * container usually sees its own cgroup mounted at the hierarchy root.
 *
 * @param memoryLimitBytes the container's memory limit, if any
 * @param cpuLimitCores    the container's CPU quota in cores (e.g. 1.5), if any
 * @param availableProcessors what the JVM reports (already container-aware)
 * @param machineMemoryBytes  MemTotal of the machine
 * @param source           where the limits were read, for messages ("cgroup v1", "cgroup v2", "none")
 */
public record ContainerLimits(OptionalLong memoryLimitBytes, OptionalDouble cpuLimitCores,
                              int availableProcessors, long machineMemoryBytes, String source) {

    /** Any v1 limit at or above this is the kernel's "unlimited" (LONG_MAX rounded down to a page). */
    private static final long V1_UNLIMITED = 1L << 62;

    /** The limits of this JVM's container. */
    public static ContainerLimits read() {
        return read(Path.of("/"));
    }

    /** The memory the budget may use: the container limit, else the machine's memory. */
    public long effectiveMemoryBytes() {
        return memoryLimitBytes.orElse(machineMemoryBytes);
    }

    /** The cores the budget may use: the quota, else the available processors. */
    public double effectiveCores() {
        return cpuLimitCores.orElse(availableProcessors);
    }

    /**
     * Reads limits from a filesystem rooted at {@code root} ({@code root}/proc/self/cgroup,
     * {@code root}/proc/self/mountinfo, and the mount points under it): "/" in production, a
     * fake tree in tests.
     */
    public static ContainerLimits read(Path root) {
        int cpus = Runtime.getRuntime().availableProcessors();
        long machine = machineMemory(root);
        List<String[]> cgroups = lines(root.resolve("proc/self/cgroup")).stream()
                .map(l -> l.split(":", 3)).filter(f -> f.length == 3).toList();
        List<Mount> mounts = lines(root.resolve("proc/self/mountinfo")).stream()
                .map(Mount::parse).flatMap(Optional::stream).toList();

        // cgroup v2 only when the unified hierarchy is the one holding the controllers
        Optional<Mount> v2 = mounts.stream().filter(m -> m.type.equals("cgroup2")).findFirst();
        boolean hasV1Memory = mounts.stream().anyMatch(m -> m.type.equals("cgroup") && m.controllers.contains("memory"));
        if (v2.isPresent() && !hasV1Memory) {
            String path = cgroups.stream().filter(f -> f[0].equals("0")).map(f -> f[2]).findFirst().orElse("/");
            List<Path> dirs = walkUp(root, v2.get(), path);
            OptionalLong mem = tightest(dirs, "memory.max", s -> s.equals("max") ? -1 : Long.parseLong(s));
            OptionalDouble cpu = tightestCpu(dirs, "cpu.max", null);
            return new ContainerLimits(mem, cpu, cpus, machine, "cgroup v2");
        }
        if (hasV1Memory || mounts.stream().anyMatch(m -> m.type.equals("cgroup"))) {
            OptionalLong mem = v1Dirs(root, mounts, cgroups, "memory")
                    .map(dirs -> tightest(dirs, "memory.limit_in_bytes", s -> {
                        long v = Long.parseLong(s);
                        return v >= V1_UNLIMITED ? -1 : v;
                    })).orElse(OptionalLong.empty());
            OptionalDouble cpu = v1Dirs(root, mounts, cgroups, "cpu")
                    .map(dirs -> tightestCpu(dirs, "cpu.cfs_quota_us", "cpu.cfs_period_us")).orElse(OptionalDouble.empty());
            return new ContainerLimits(mem, cpu, cpus, machine, "cgroup v1");
        }
        return new ContainerLimits(OptionalLong.empty(), OptionalDouble.empty(), cpus, machine, "none");
    }

    private record Mount(String root, String point, String type, List<String> controllers) {
        static Optional<Mount> parse(String line) {
            String[] halves = line.split(" - ", 2);
            if (halves.length != 2) return Optional.empty();
            String[] a = halves[0].split(" "), b = halves[1].split(" ");
            if (a.length < 5 || b.length < 3) return Optional.empty();
            return Optional.of(new Mount(a[3], a[4], b[0], List.of(b[2].split(","))));
        }
    }

    private static Optional<List<Path>> v1Dirs(Path root, List<Mount> mounts, List<String[]> cgroups, String controller) {
        Optional<Mount> mount = mounts.stream()
                .filter(m -> m.type.equals("cgroup") && m.controllers.contains(controller)).findFirst();
        Optional<String> path = cgroups.stream()
                .filter(f -> List.of(f[1].split(",")).contains(controller)).map(f -> f[2]).findFirst();
        if (mount.isEmpty()) return Optional.empty();
        return Optional.of(walkUp(root, mount.get(), path.orElse("/")));
    }

    /** The cgroup's directory and its ancestors up to the mount point, deepest first. */
    private static List<Path> walkUp(Path root, Mount mount, String cgroupPath) {
        String rel = cgroupPath;
        if (!mount.root.equals("/") && rel.startsWith(mount.root)) rel = rel.substring(mount.root.length());
        Path point = root.resolve(mount.point.substring(1));
        Path dir = point.resolve(rel.startsWith("/") ? rel.substring(1) : rel);
        if (!Files.isDirectory(dir)) dir = point; // a container that sees only its own cgroup at the mount
        List<Path> dirs = new ArrayList<>();
        for (Path d = dir; d != null && d.startsWith(point); d = d.getParent()) dirs.add(d);
        return dirs;
    }

    private interface Parser {
        long parse(String s);
    }

    private static OptionalLong tightest(List<Path> dirs, String file, Parser parser) {
        long best = -1;
        for (Path d : dirs) {
            String s = first(d.resolve(file));
            if (s == null) continue;
            try {
                long v = parser.parse(s);
                if (v > 0 && (best < 0 || v < best)) best = v;
            } catch (NumberFormatException ignored) {
                // an unreadable value is no limit
            }
        }
        return best < 0 ? OptionalLong.empty() : OptionalLong.of(best);
    }

    /** v2: file holds "QUOTA PERIOD"; v1: quota file and period file. */
    private static OptionalDouble tightestCpu(List<Path> dirs, String quotaFile, String periodFile) {
        double best = -1;
        for (Path d : dirs) {
            String q = first(d.resolve(quotaFile));
            if (q == null) continue;
            String quota, period;
            if (periodFile == null) {
                String[] f = q.split("\\s+");
                quota = f[0];
                period = f.length > 1 ? f[1] : "100000";
            } else {
                quota = q;
                period = first(d.resolve(periodFile));
            }
            try {
                if (quota.equals("max") || period == null) continue;
                long qv = Long.parseLong(quota), pv = Long.parseLong(period);
                if (qv <= 0 || pv <= 0) continue;
                double cores = (double) qv / pv;
                if (best < 0 || cores < best) best = cores;
            } catch (NumberFormatException ignored) {
                // no limit
            }
        }
        return best < 0 ? OptionalDouble.empty() : OptionalDouble.of(best);
    }

    private static long machineMemory(Path root) {
        for (String l : lines(root.resolve("proc/meminfo"))) {
            if (l.startsWith("MemTotal:")) {
                String v = l.substring(9).trim();
                return Long.parseLong(v.split("\\s+")[0]) * 1024;
            }
        }
        return Runtime.getRuntime().maxMemory();
    }

    private static String first(Path p) {
        List<String> l = lines(p);
        return l.isEmpty() ? null : l.get(0).trim();
    }

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
