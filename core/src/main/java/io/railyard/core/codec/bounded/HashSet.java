package io.railyard.core.codec.bounded;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** Reads a {@link java.util.HashSet}'s serial form; builds the set once its hashing is charged ({@link StandIn}). */
sealed class HashSet implements StandIn, Serializable permits LinkedHashSet {
    @Serial
    private static final long serialVersionUID = -5024744406713321676L;

    transient float lf;
    transient List<Object> elements;

    @Serial
    private void readObject(ObjectInputStream s) throws IOException, ClassNotFoundException {
        s.readFields();
        int capacity = s.readInt();
        if (capacity < 0) throw new InvalidObjectException("Illegal capacity: " + capacity);
        lf = s.readFloat();
        if (lf <= 0 || Float.isNaN(lf)) throw new InvalidObjectException("Illegal load factor: " + lf);
        lf = Math.clamp(lf, 0.25f, 4.0f);
        int size = s.readInt();
        if (size < 0) throw new InvalidObjectException("Illegal size: " + size);
        elements = new ArrayList<>(Math.min(size, 1 << 16)); // grows with what is really there
        for (int i = 0; i < size; i++) elements.add(s.readObject());
    }

    int capacity() {
        return Math.max(16, (int) Math.min(elements.size() / lf + 1, 1 << 30));
    }

    @Serial
    private Object readResolve() throws InvalidObjectException {
        HashingBudget.charge("HashSet", elements, List.of());
        java.util.HashSet<Object> set = new java.util.HashSet<>(capacity(), lf);
        set.addAll(elements);
        return set;
    }
}
