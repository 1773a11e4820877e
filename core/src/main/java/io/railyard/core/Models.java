package io.railyard.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The concurrency models on the classpath, by name: {@code Models.open("threads", PoolSpec.of(8))}.
 * Which models exist depends on which railyard modules are present (core has threads, virtual and
 * processes; {@code loop} and {@code cluster} come with their modules). Thread-safe.
 *
 * <p>Two ways in. A built-in model named by {@link #get}, {@link #has} or {@link #open} is loaded
 * by its class name, and only when its module is present: a command that names its model opens no
 * jar. The full list ({@link #all}, {@link #names}, and any name that is not built in, such as a
 * model of another library registered in {@code META-INF/services/io.railyard.core.ModelProvider})
 * comes from {@link ServiceLoader}, which opens every jar of the class path to find the
 * registrations: 25-30 ms of a command's start (docs/startup.md).
 */
public final class Models {
    /** The built-in providers' classes by model name; each also registered for the service loader. */
    private static final Map<String, String> BUILT_IN = Map.of(
            "processes", "io.railyard.core.processes.ProcessesModel",
            "threads", "io.railyard.core.threads.ThreadsModel",
            "virtual", "io.railyard.core.virtual.VirtualModel",
            "loop", "io.railyard.loop.LoopModel",
            "cluster", "io.railyard.cluster.ClusterModel");
    /** Built-in providers loaded by name so far. */
    private static final Map<String, ModelProvider> LOADED = new ConcurrentHashMap<>();

    private Models() {}

    /** Every provider the service loader finds, sorted once, on first use. */
    private static final class All {
        static final List<ModelProvider> PROVIDERS = load();
        static final List<String> NAMES = names(PROVIDERS);
    }

    /**
     * The providers in the seed's order. A loop and a comparator class rather than a stream and
     * {@code Comparator.comparing}: each lambda or method reference the start-up cache does not
     * hold is spun at run time (docs/startup.md).
     */
    private static List<ModelProvider> load() {
        List<ModelProvider> providers = new ArrayList<>();
        for (ModelProvider p : ServiceLoader.load(ModelProvider.class, Models.class.getClassLoader())) providers.add(p);
        providers.sort(new SeedOrder());
        return List.copyOf(providers);
    }

    /** By {@link ModelProvider#order()}, then by name. */
    private static final class SeedOrder implements Comparator<ModelProvider> {
        @Override
        public int compare(ModelProvider a, ModelProvider b) {
            int c = Integer.compare(a.order(), b.order());
            return c != 0 ? c : a.name().compareTo(b.name());
        }
    }

    /** Every model present, in the seed's order. */
    public static List<ModelProvider> all() {
        return All.PROVIDERS;
    }

    public static List<String> names() {
        return All.NAMES;
    }

    private static List<String> names(List<ModelProvider> providers) {
        List<String> names = new ArrayList<>();
        for (ModelProvider p : providers) names.add(p.name());
        return List.copyOf(names);
    }

    /** Whether a model of this name is present. */
    public static boolean has(String name) {
        return find(name) != null;
    }

    /**
     * The provider of the named model.
     *
     * @throws IllegalArgumentException naming the model and the ones that exist
     */
    public static ModelProvider get(String name) {
        ModelProvider p = find(name);
        if (p != null) return p;
        throw new IllegalArgumentException("unknown model '" + name + "': choose one of "
                + String.join(", ", names()));
    }

    public static TaskPool open(String name, PoolSpec spec) {
        return get(name).open(spec);
    }

    private static ModelProvider find(String name) {
        ModelProvider p = builtIn(name);
        if (p != null) return p;
        for (ModelProvider q : all()) if (q.name().equals(name)) return q;
        return null;
    }

    /** The built-in provider of this name, or null when it is not built in or its module is absent. */
    private static ModelProvider builtIn(String name) {
        if (name == null) return null;
        ModelProvider p = LOADED.get(name);
        if (p != null) return p;
        String className = BUILT_IN.get(name);
        if (className == null) return null;
        Class<?> type;
        try {
            type = Class.forName(className, true, Models.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError absent) { // its module is not on this class path
            return null;
        }
        try {
            p = (ModelProvider) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the built-in model " + name + " (" + className + ") cannot be made", e);
        }
        if (!p.name().equals(name)) throw new IllegalStateException(className + " names itself " + p.name() + ", not " + name);
        ModelProvider first = LOADED.putIfAbsent(name, p);
        return first != null ? first : p;
    }
}
