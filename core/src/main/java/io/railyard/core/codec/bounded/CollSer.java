package io.railyard.core.codec.bounded;

import java.io.IOException;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamField;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the serial proxy of the immutable collections ({@code List.of}, {@code Set.of},
 * {@code Map.of}, {@code Stream.toList()}) and builds the same collection as the JDK's proxy does,
 * through the public factories; a set's elements and a map's keys are charged first ({@link StandIn}).
 */
final class CollSer implements StandIn, Serializable {
    @Serial
    private static final long serialVersionUID = 6309168927139932177L;
    @Serial
    private static final ObjectStreamField[] serialPersistentFields = {new ObjectStreamField("tag", int.class)};

    private static final int IMM_LIST = 1, IMM_SET = 2, IMM_MAP = 3, IMM_LIST_NULLS = 4;

    private transient int tag;
    private transient Object[] array;

    @Serial
    private void readObject(ObjectInputStream s) throws IOException, ClassNotFoundException {
        tag = s.readFields().get("tag", 0);
        int len = s.readInt();
        if (len < 0) throw new InvalidObjectException("negative length " + len);
        List<Object> read = new ArrayList<>(Math.min(len, 1 << 16));
        for (int i = 0; i < len; i++) read.add(s.readObject());
        array = read.toArray();
    }

    @Serial
    private Object readResolve() throws InvalidObjectException {
        try {
            return switch (tag & 0xff) {
                case IMM_LIST -> {
                    HashingBudget.charge("List.of", List.of(), Arrays.asList(array));
                    yield List.of(array);
                }
                case IMM_LIST_NULLS -> {
                    HashingBudget.charge("List", List.of(), Arrays.asList(array));
                    yield Arrays.stream(array).toList();
                }
                case IMM_SET -> {
                    HashingBudget.charge("Set.of", Arrays.asList(array), List.of());
                    yield Set.of(array);
                }
                case IMM_MAP -> {
                    if (array.length % 2 != 0) throw new InvalidObjectException("a Map.of with an odd array length " + array.length);
                    List<Object> keys = new ArrayList<>(), values = new ArrayList<>();
                    for (int i = 0; i < array.length; i += 2) {
                        keys.add(array[i]);
                        values.add(array[i + 1]);
                    }
                    HashingBudget.charge("Map.of", keys, values);
                    @SuppressWarnings("unchecked")
                    Map.Entry<Object, Object>[] entries = new Map.Entry[keys.size()];
                    for (int i = 0; i < entries.length; i++) entries[i] = Map.entry(keys.get(i), values.get(i));
                    yield Map.ofEntries(entries);
                }
                default -> throw new InvalidObjectException(String.format("invalid flags 0x%x", tag));
            };
        } catch (NullPointerException | IllegalArgumentException e) {
            InvalidObjectException ioe = new InvalidObjectException("invalid object");
            ioe.initCause(e);
            throw ioe;
        }
    }
}
