package io.railyard.core.codec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The classes a pool whose tasks cross a process boundary ({@link io.railyard.core.processes.ProcessPool},
 * the cluster model) lets its payload codec instantiate, in the parent (results, exceptions) and in the
 * workers or members (tasks): a worker that misbehaves cannot make the parent build an arbitrary object,
 * the classic Java deserialization attack. Patterns:
 * <ul>
 *   <li>{@code com.acme.Task} — that class (nested classes are named with {@code $});</li>
 *   <li>{@code com.acme.*} — every class of package {@code com.acme};</li>
 *   <li>{@code com.acme.**} — every class of {@code com.acme} and its sub-packages.</li>
 * </ul>
 * Always allowed ({@link #DEFAULTS}): primitives, the basic value and collection classes of
 * {@code java.lang}, {@code java.util}, {@code java.math}, {@code java.time}, serializable lambdas
 * (whose capturing class must be allowed too), the railyard classes that cross the boundary
 * ({@link io.railyard.core.ChunkTask}, the tasks of {@link io.railyard.core.TaskPool#asExecutorService()},
 * the exceptions), and any JDK exception ({@code java.**}
 * subclasses of {@link Throwable}). Arrays are allowed when their element class is.
 *
 * <p>A jar can declare its own task and result classes in the resource {@value #RESOURCE} (one
 * pattern per line, {@code #} starts a comment): every pool adds what the classpath declares, so a
 * library's tasks work without options. Code on the classpath can already run in this JVM; what the
 * allow-list keeps out is a class nobody declared as data.
 *
 * <p>Immutable and thread-safe.
 */
public final class AllowList {

    /** What every pool allows; pool option {@code allow} adds to it. */
    public static final List<String> DEFAULTS = List.of(
            "java.lang.*", "java.lang.invoke.SerializedLambda", "java.util.*", "java.util.concurrent.*",
            "java.math.*", "java.time.*",
            "io.railyard.core.ChunkTask", "io.railyard.core.RemoteException", "io.railyard.core.TaskTimeoutException",
            "io.railyard.core.TaskPoolExecutorService$CallableTask", "io.railyard.core.TaskPoolExecutorService$RunnableTask",
            "io.railyard.core.codec.NotEncodableException", "io.railyard.core.processes.WorkerDiedException");

    /** The classpath resource in which a jar lists the classes it sends to worker processes and members. */
    public static final String RESOURCE = "META-INF/railyard/allow";

    /** The resource's former name, still read so that jars built for it keep working. */
    public static final String FORMER_RESOURCE = "META-INF/railyard/processes-allow";

    private final List<String> extra;
    private final Set<String> classes = new HashSet<>();
    private final Set<String> packages = new HashSet<>();
    private final List<String> prefixes = new ArrayList<>();

    private AllowList(List<String> extra) {
        this.extra = List.copyOf(extra);
        for (String p : DEFAULTS) add(p);
        for (String p : this.extra) add(p);
    }

    /** The defaults plus {@code patterns}. */
    public static AllowList of(List<String> patterns) {
        List<String> checked = new ArrayList<>(new LinkedHashSet<>(patterns));
        for (String p : checked) validate(p);
        return new AllowList(checked);
    }

    /**
     * The defaults, the patterns the jars on the classpath declare ({@link #declaredOnClasspath()}) and
     * {@code patterns}: the list every pool and member decodes with.
     *
     * @throws IllegalArgumentException naming a bad pattern of {@code patterns}
     * @throws IllegalStateException    naming the resource with a bad pattern
     */
    public static AllowList withDeclared(List<String> patterns) {
        List<String> all = new ArrayList<>(declaredOnClasspath());
        all.addAll(patterns);
        return of(all);
    }

    /**
     * The patterns declared by the jars on the classpath in {@value #RESOURCE} (and {@value #FORMER_RESOURCE}).
     *
     * @throws IllegalStateException naming the resource with a bad pattern
     */
    public static List<String> declaredOnClasspath() {
        List<String> patterns = new ArrayList<>();
        for (String resource : List.of(RESOURCE, FORMER_RESOURCE)) readDeclared(resource, patterns);
        return patterns;
    }

    private static void readDeclared(String resource, List<String> patterns) {
        try {
            Enumeration<URL> found = AllowList.class.getClassLoader().getResources(resource);
            while (found.hasMoreElements()) {
                URL url = found.nextElement();
                try (BufferedReader in = new BufferedReader(new InputStreamReader(url.openStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        int hash = line.indexOf('#');
                        String p = (hash >= 0 ? line.substring(0, hash) : line).trim();
                        if (p.isEmpty()) continue;
                        try {
                            validate(p);
                        } catch (IllegalArgumentException e) {
                            throw new IllegalStateException(url + ": " + e.getMessage());
                        }
                        patterns.add(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource + " from the classpath: " + e, e);
        }
    }

    /** The defaults only. */
    public static AllowList defaults() {
        return of(List.of());
    }

    /** The patterns added to the defaults, as given. */
    public List<String> extra() {
        return extra;
    }

    private static void validate(String p) {
        String name = p.endsWith(".**") ? p.substring(0, p.length() - 3) : p.endsWith(".*") ? p.substring(0, p.length() - 2) : p;
        if (name.isEmpty() || !identifierPartsAndDots(name) || name.startsWith(".") || name.endsWith(".") || name.contains(".."))
            throw new IllegalArgumentException("allow-list pattern '" + p + "' is not a class name, 'package.*' or 'package.**':"
                    + " e.g. com.acme.Task, com.acme.*, com.acme.**");
    }

    /** A loop rather than a regular expression: every worker validates the list at start-up, where a first regex costs ~ms. */
    private static boolean identifierPartsAndDots(String name) {
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            if (c != '.' && c != '$' && !Character.isJavaIdentifierPart(c)) return false;
            i += Character.charCount(c);
        }
        return true;
    }

    private void add(String p) {
        if (p.endsWith(".**")) prefixes.add(p.substring(0, p.length() - 2)); // keep the dot: "com.acme."
        else if (p.endsWith(".*")) packages.add(p.substring(0, p.length() - 2));
        else classes.add(p);
    }

    /** True if instances of {@code type} may be decoded. */
    public boolean allows(Class<?> type) {
        while (type.isArray()) type = type.getComponentType();
        if (type.isPrimitive()) return true;
        // a deserialized lambda is a hidden class made by its capturing class, which must be allowed
        if (type.isHidden()) return allows(type.getNestHost());
        String name = type.getName();
        if (allowsName(name)) return true;
        return name.startsWith("java.") && Throwable.class.isAssignableFrom(type);
    }

    boolean allowsName(String name) {
        if (classes.contains(name)) return true;
        int dot = name.lastIndexOf('.');
        if (dot > 0 && packages.contains(name.substring(0, dot))) return true;
        for (String prefix : prefixes) if (name.startsWith(prefix)) return true;
        return false;
    }

    @Override
    public String toString() {
        return "allow-list " + extra + " + defaults";
    }
}
