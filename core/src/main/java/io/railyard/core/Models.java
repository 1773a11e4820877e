package io.railyard.core;

import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * The concurrency models on the classpath, by name: {@code Models.open("threads", PoolSpec.of(8))}.
 * Which models exist depends on which railyard modules are present (core has threads, virtual and
 * processes; {@code loop} and {@code cluster} come with their modules). Thread-safe.
 */
public final class Models {
    private static final List<ModelProvider> PROVIDERS = ServiceLoader.load(ModelProvider.class, Models.class.getClassLoader())
            .stream().map(ServiceLoader.Provider::get)
            .sorted(Comparator.comparingInt(ModelProvider::order).thenComparing(ModelProvider::name))
            .toList();

    private Models() {}

    /** Every model present, in the seed's order. */
    public static List<ModelProvider> all() {
        return PROVIDERS;
    }

    public static List<String> names() {
        return PROVIDERS.stream().map(ModelProvider::name).toList();
    }

    /**
     * The provider of the named model.
     *
     * @throws IllegalArgumentException naming the model and the ones that exist
     */
    public static ModelProvider get(String name) {
        for (ModelProvider p : PROVIDERS) if (p.name().equals(name)) return p;
        throw new IllegalArgumentException("unknown model '" + name + "': choose one of "
                + PROVIDERS.stream().map(ModelProvider::name).collect(Collectors.joining(", ")));
    }

    public static TaskPool open(String name, PoolSpec spec) {
        return get(name).open(spec);
    }
}
