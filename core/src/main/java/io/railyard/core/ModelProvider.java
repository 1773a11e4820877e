package io.railyard.core;

import java.util.Map;

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

    /**
     * Checks {@code spec}'s options as {@link #open} would, without opening a pool: a command line
     * checks what the user gave before any work starts. Default: nothing to check (a model that
     * takes no options).
     *
     * @throws IllegalArgumentException naming the option, its value and the fix
     */
    default void checkOptions(PoolSpec spec) {}


    /**
     * The class of the pools {@link #open} returns, so that what they can do is known before one
     * is opened. Default: {@link TaskPool}, which has no capability.
     */
    default Class<? extends TaskPool> poolType() {
        return TaskPool.class;
    }

    /**
     * Whether this model's pools have {@code capability} (see {@link TaskPool#capability}), e.g.
     * {@code Models.get(name).has(SingleEventLoop.class)}.
     */
    default boolean has(Class<?> capability) {
        return capability.isAssignableFrom(poolType());
    }

    /**
     * The options of a pool of this model that must live within {@code maxMemoryBytes} (a memory
     * budget), from the caller's {@code options}: a model whose workers are JVMs of their own sizes
     * them to the budget. Called by whoever opens pools under a budget (the autoscaled pool).
     * Default: the options unchanged.
     */
    default Map<String, String> optionsWithinMemory(long maxMemoryBytes, Map<String, String> options) {
        return options;
    }

    /** Order in listings: the seed's order (processes, threads, loop) then the rest. */
    default int order() {
        return 100;
    }
}
