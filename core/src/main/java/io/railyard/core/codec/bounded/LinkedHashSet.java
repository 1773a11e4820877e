package io.railyard.core.codec.bounded;

import java.io.InvalidObjectException;
import java.io.Serial;
import java.io.Serializable;
import java.util.List;

/** Reads a {@link java.util.LinkedHashSet}'s serial form (that of its superclass), keeping its order ({@link StandIn}). */
final class LinkedHashSet extends HashSet implements Serializable {
    @Serial
    private static final long serialVersionUID = -2851667679971038690L;

    @Serial
    private Object readResolve() throws InvalidObjectException {
        HashingBudget.charge("LinkedHashSet", elements, List.of());
        java.util.LinkedHashSet<Object> set = new java.util.LinkedHashSet<>(capacity(), lf);
        set.addAll(elements);
        return set;
    }
}
