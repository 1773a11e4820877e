package io.railyard.core.processes;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The class path a pool gives its worker JVMs: this JVM's, less the jars railyard's own build
 * declares are for its cluster model only.
 *
 * <p>Why it matters: every jar on a JVM's class path that something opens costs that JVM its
 * central directory, read into the Java heap (a byte array the size of the jar's directory, and
 * an index of its entries), for as long as the JVM lives. A worker opens every jar of its class
 * path as soon as a task makes its first {@link java.net.URL} (the JDK looks up
 * {@code URLStreamHandlerProvider} services, which reads every jar), or uses the system logger,
 * a socket's {@code SelectorProvider} or any other service lookup. Hazelcast's jar alone has
 * 12,000 entries and a 1.3 MB directory: ~1.5 MB of every worker's heap for a library no worker
 * runs (figures in docs/startup.md).
 *
 * <p>The rule, under option {@code workerClassPath=auto} (the default): when the jar holding
 * railyard's core classes sits in a directory with a file {@code classpath-cluster} beside it
 * (the launcher's {@code cli/target/lib/}: the build writes there the jars that only the commands
 * which may use the cluster model get, Hazelcast), those jars are left out of the workers' class
 * path. A worker runs tasks one at a time on its own thread; it never opens a cluster pool, so it
 * cannot need them. Everything else stays, in this JVM's order: a task's class may come from any
 * other jar or directory (the bench's workloads, {@code RAILYARD_CLASSPATH}), and a user's own
 * copy of a left-out library, at another path, stays too. Elsewhere (railyard as a library in an
 * application, a build's {@code target/classes}) there is no such file and the workers get this
 * JVM's class path as it is. {@code workerClassPath=inherit} gives them this JVM's class path as
 * it is in every case.
 *
 * <p>Immutable; thread-safe.
 */
final class WorkerClassPath {
    /** The file, beside railyard's core jar, that lists the jars for the cluster model's commands only. */
    static final String CLUSTER_ONLY_LIST = "classpath-cluster";
    /** The option's values. */
    static final String AUTO = "auto", INHERIT = "inherit";

    private final List<String> entries;
    private final List<String> omitted;

    private WorkerClassPath(List<String> entries, List<String> omitted) {
        this.entries = List.copyOf(entries);
        this.omitted = List.copyOf(omitted);
    }

    /** The workers' class path for this JVM, per {@code option} ({@value #AUTO} or {@value #INHERIT}). */
    static WorkerClassPath forThisJvm(String option) {
        String parent = System.getProperty("java.class.path");
        if (option.equals(INHERIT)) return new WorkerClassPath(split(parent), List.of());
        return of(parent, coreJar());
    }

    /**
     * The workers' class path when this JVM's is {@code parentClassPath} and railyard's core
     * classes come from {@code coreJar} (or {@code null}: not from a jar).
     */
    static WorkerClassPath of(String parentClassPath, Path coreJar) {
        List<String> all = split(parentClassPath);
        Set<Path> clusterOnly = clusterOnlyJars(coreJar);
        List<String> kept = new ArrayList<>(), left = new ArrayList<>();
        for (String e : all) (clusterOnly.contains(normal(e)) ? left : kept).add(e);
        return new WorkerClassPath(kept, left);
    }

    /** The entries, in order (an empty one means the working directory, as in {@code java.class.path}). */
    List<String> entries() {
        return entries;
    }

    /** This JVM's entries the workers do not get. */
    List<String> omitted() {
        return omitted;
    }

    /** The {@code -cp} value: the entries joined (with nothing left out, this JVM's class path as it is). */
    @Override
    public String toString() {
        return String.join(File.pathSeparator, entries);
    }

    /**
     * The jars {@code classpath-cluster} beside {@code coreJar} names: one line of entries separated
     * by the path separator, relative to the directory above (as the launcher reads it:
     * {@code lib/hazelcast.jar} from {@code cli/target}). None when there is no such file.
     */
    static Set<Path> clusterOnlyJars(Path coreJar) {
        if (coreJar == null || coreJar.getParent() == null) return Set.of();
        Path dir = coreJar.getParent();
        Path list = dir.resolve(CLUSTER_ONLY_LIST);
        Path base = dir.getParent() == null ? dir : dir.getParent();
        Set<Path> jars = new HashSet<>();
        try {
            if (!Files.isRegularFile(list)) return Set.of();
            for (String line : Files.readAllLines(list))
                for (String e : line.split(File.pathSeparator))
                    if (!e.isBlank()) jars.add(base.resolve(e.trim()).toAbsolutePath().normalize());
        } catch (IOException | RuntimeException e) {
            return Set.of(); // unreadable: the workers get everything, as without the file
        }
        return jars;
    }

    /** The jar railyard's core classes were loaded from, or {@code null} (a directory, or unknown). */
    static Path coreJar() {
        try {
            CodeSource source = WorkerClassPath.class.getProtectionDomain().getCodeSource();
            if (source == null || source.getLocation() == null) return null;
            Path p = Path.of(source.getLocation().toURI());
            return p.toString().endsWith(".jar") ? p : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }

    private static Path normal(String entry) {
        try {
            return Path.of(entry).toAbsolutePath().normalize();
        } catch (RuntimeException e) {
            return Path.of("");
        }
    }

    private static List<String> split(String classPath) {
        List<String> out = new ArrayList<>();
        if (classPath == null) return out;
        for (String e : classPath.split(File.pathSeparator, -1)) out.add(e);
        return out;
    }
}
