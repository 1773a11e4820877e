package io.railyard.core.codec.bounded;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamField;
import java.io.Serial;
import java.io.Serializable;

/** Reads a {@link java.util.LinkedHashMap}'s serial form, keeping its order and access order ({@link StandIn}). */
final class LinkedHashMap extends HashMap implements Serializable {
    @Serial
    private static final long serialVersionUID = 3801124242820219131L;
    @Serial
    private static final ObjectStreamField[] serialPersistentFields = {new ObjectStreamField("accessOrder", boolean.class)};

    transient boolean order;

    @Serial
    private void readObject(ObjectInputStream s) throws IOException, ClassNotFoundException {
        order = s.readFields().get("accessOrder", false);
    }

    @Serial
    private Object readResolve() throws InvalidObjectException {
        HashingBudget.charge("LinkedHashMap", keys, values);
        java.util.LinkedHashMap<Object, Object> map = new java.util.LinkedHashMap<>(capacity(), lf, order);
        fill(map);
        return map;
    }
}
