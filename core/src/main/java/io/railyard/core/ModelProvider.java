package io.railyard.core;

/**
 * The service-provider interface through which each module offers its model, found with
 * {@link java.util.ServiceLoader} (register in {@code META-INF/services/io.railyard.core.ModelProvider}).
 * {@link Models} is the lookup users call.
 */
public interface ModelProvider {

    /** The model's name on the command line: lowercase, one word. */
    String name();

    /** One line for {@code --help}: what the model is and what it is good for. */
    String description();

    /** Opens a pool of this model. */
    TaskPool open(PoolSpec spec);

    /**
     * The pool options ({@link PoolSpec#options()}, {@code --model-option KEY=VALUE}) this model reads;
     * the command line refuses any other key for it, naming these. Default: none.
     */
    default java.util.List<String> optionKeys() {
        return java.util.List.of();
    }

    /** Order in listings: the seed's order (processes, threads, loop) then the rest. */
    default int order() {
        return 100;
    }
}
