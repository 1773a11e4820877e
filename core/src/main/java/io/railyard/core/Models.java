package io.railyard.core;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The concurrency models on the classpath, by name: {@code Models.open("threads", PoolSpec.of(8))}.
 * Which models exist depends on which railyard modules are present (core has threads, virtual and
 * processes; {@code loop} and {@code cluster} come with their modules). Thread-safe.
 */
public final class Models {
    private static final List<ModelProvider> PROVIDERS = load();
    private static final List<String> NAMES = names(PROVIDERS);

    private Models() {}

    /**
     * The providers in the seed's order. A loop and a comparator class rather than a stream and
     * {@code Comparator.comparing}: every command that runs work starts here, and each lambda or
     * method reference the start-up cache does not hold is spun at run time (docs/startup.md).
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
        return PROVIDERS;
    }

    public static List<String> names() {
        return NAMES;
    }

    private static List<String> names(List<ModelProvider> providers) {
        List<String> names = new ArrayList<>();
        for (ModelProvider p : providers) names.add(p.name());
        return List.copyOf(names);
    }

    /**
     * The provider of the named model.
     *
     * @throws IllegalArgumentException naming the model and the ones that exist
     */
    public static ModelProvider get(String name) {
        for (ModelProvider p : PROVIDERS) if (p.name().equals(name)) return p;
        throw new IllegalArgumentException("unknown model '" + name + "': choose one of "
                + String.join(", ", NAMES));
    }

    public static TaskPool open(String name, PoolSpec spec) {
        return get(name).open(spec);
    }
}
