package io.railyard.core;

import java.io.Serializable;

/**
 * The function {@link TaskPool#map} applies to each input. Serializable so that it can be sent to a
 * worker process together with a chunk of inputs.
 */
@FunctionalInterface
public interface TaskFunction<I, O> extends Serializable {
    O apply(I input) throws Exception;
}
