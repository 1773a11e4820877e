package io.railyard.core;

import java.util.ArrayList;
import java.util.List;

/**
 * One task of a {@link TaskPool#map}: applies the function to a chunk of consecutive inputs. A
 * named class rather than a lambda so that worker processes can allow-list it.
 */
public record ChunkTask<I, O>(TaskFunction<? super I, ? extends O> fn, List<I> inputs)
        implements BlockingTask<List<O>> {

    @Override
    public List<O> call() throws Exception {
        List<O> out = new ArrayList<>(inputs.size());
        for (I input : inputs) out.add(fn.apply(input));
        return out;
    }
}
