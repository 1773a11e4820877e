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
 * declares are for the command's JVM only.
 *
 * <p>Why it matters: every jar on a JVM's class path that something opens costs that JVM its
 * central directory, read into the Java heap (a byte array the size of the jar's directory, and
 * an index of its entries), and the C heap of the inflater that read its manifest, for as long as
 * the JVM lives. A worker opens every jar of its class path as soon as a task makes its first
 * {@link java.net.URL} (the JDK looks up {@code URLStreamHandlerProvider} services, which reads
 * every jar), or uses the system logger or any other service lookup. Hazelcast's jar alone has
 * 12,000 entries and a 1.3 MB directory; Netty's and Jackson's jars, which no worker runs either,
 * another 1.5 MiB of every worker together (figures in docs/startup.md).
 *
 * <p>The rule, under option {@code workerClassPath=auto} (the default): when the jar holding
 * railyard's core classes sits in a directory with a file {@code classpath-workers} beside it
 * (the launcher's {@code cli/target/lib/}), the jars the build lists there are the only ones of
 * its own lists ({@code classpath}, every command's, and {@code classpath-cluster}) the workers
 * get. The build leaves out of it the libraries of what runs in the command's JVM alone: its
 * event loop and server (Netty), its JSON output (Jackson), its terminal, its cluster model
 * (Hazelcast). A worker runs tasks one at a time on its own thread, with blocking IO; it never
 * opens a loop or a cluster pool. Every entry that is not in the build's lists stays, in this
 * JVM's order: a task's class may come from any other jar or directory ({@code RAILYARD_CLASSPATH},
 * the launcher's own {@code railyard-cli.jar}), and a user's own copy of a left-out library, at
 * another path, stays too. Elsewhere (railyard as a library in an application, a build's
 * {@code target/classes}) there is no such file and the workers get this JVM's class path as it
 * is. {@code workerClassPath=inherit} gives them this JVM's class path as it is in every case: the
 * way out for a task that needs one of the left-out libraries in its worker (it fails with
 * {@code NoClassDefFoundError} otherwise).
 *
 * <p>Immutable; thread-safe.
 */
final class WorkerClassPath {
    /** The files, beside railyard's core jar, that list the build's jars: every command's, the cluster's, the workers'. */
    static final String ALL_LIST = "classpath", CLUSTER_LIST = "classpath-cluster", WORKERS_LIST = "classpath-workers";
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
        Set<Path> notForWorkers = notForWorkers(coreJar);
        List<String> kept = new ArrayList<>(), left = new ArrayList<>();
        for (String e : all) (notForWorkers.contains(normal(e)) ? left : kept).add(e);
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
     * The jars the build's lists beside {@code coreJar} name for the command's JVM only: those in
     * {@code classpath} or {@code classpath-cluster} but not in {@code classpath-workers}. None when
     * there is no {@code classpath-workers} (nor a core jar), or a list cannot be read.
     */
    static Set<Path> notForWorkers(Path coreJar) {
        if (coreJar == null || coreJar.getParent() == null) return Set.of();
        Path dir = coreJar.getParent();
        try {
            if (!Files.isRegularFile(dir.resolve(WORKERS_LIST))) return Set.of();
            Set<Path> jars = listed(dir, ALL_LIST);
            jars.addAll(listed(dir, CLUSTER_LIST));
            jars.removeAll(listed(dir, WORKERS_LIST));
            return jars;
        } catch (IOException | RuntimeException e) {
            return Set.of(); // unreadable: the workers get everything, as without the lists
        }
    }

    /**
     * The jars the list {@code name} in {@code dir} names (none if it is absent): one line of
     * entries separated by the path separator, relative to the directory above (as the launcher
     * reads them: {@code lib/hazelcast.jar} from {@code cli/target}).
     */
    private static Set<Path> listed(Path dir, String name) throws IOException {
        Path list = dir.resolve(name);
        Path base = dir.getParent() == null ? dir : dir.getParent();
        Set<Path> jars = new HashSet<>();
        if (!Files.isRegularFile(list)) return jars;
        for (String line : Files.readAllLines(list))
            for (String e : line.split(File.pathSeparator))
                if (!e.isBlank()) jars.add(base.resolve(e.trim()).toAbsolutePath().normalize());
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
