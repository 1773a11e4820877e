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
     * Checks {@code spec}'s options as {@link #open} would, without opening a pool: a command line
     * checks what the user gave before any work starts. Default: nothing to check (a model that
     * takes no options).
     *
     * @throws IllegalArgumentException naming the option, its value and the fix
     */
    default void checkOptions(PoolSpec spec) {}

    /** Order in listings: the seed's order (processes, threads, loop) then the rest. */
    default int order() {
        return 100;
    }
}
