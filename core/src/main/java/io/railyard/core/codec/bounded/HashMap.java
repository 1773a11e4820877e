package io.railyard.core.codec.bounded;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamField;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** Reads a {@link java.util.HashMap}'s serial form; builds the map once its hashing is charged ({@link StandIn}). */
sealed class HashMap implements StandIn, Serializable permits LinkedHashMap {
    @Serial
    private static final long serialVersionUID = 362498820763181265L;
    @Serial
    private static final ObjectStreamField[] serialPersistentFields = {
            new ObjectStreamField("loadFactor", float.class), new ObjectStreamField("threshold", int.class)};

    transient float lf;
    transient List<Object> keys;
    transient List<Object> values;

    @Serial
    private void readObject(ObjectInputStream s) throws IOException, ClassNotFoundException {
        ObjectInputStream.GetField fields = s.readFields();
        lf = fields.get("loadFactor", 0.75f);
        if (lf <= 0 || Float.isNaN(lf)) throw new InvalidObjectException("Illegal load factor: " + lf);
        lf = Math.clamp(lf, 0.25f, 4.0f);
        s.readInt(); // buckets
        int mappings = s.readInt();
        if (mappings < 0) throw new InvalidObjectException("Illegal mappings count: " + mappings);
        keys = new ArrayList<>(Math.min(mappings, 1 << 16));
        values = new ArrayList<>(Math.min(mappings, 1 << 16));
        for (int i = 0; i < mappings; i++) {
            keys.add(s.readObject());
            values.add(s.readObject());
        }
    }

    int capacity() {
        return Math.max(16, (int) Math.min(keys.size() / lf + 1, 1 << 30));
    }

    void fill(java.util.Map<Object, Object> map) {
        for (int i = 0; i < keys.size(); i++) map.put(keys.get(i), values.get(i));
    }

    @Serial
    private Object readResolve() throws InvalidObjectException {
        HashingBudget.charge("HashMap", keys, values);
        java.util.HashMap<Object, Object> map = new java.util.HashMap<>(capacity(), lf);
        fill(map);
        return map;
    }
}
