package io.railyard.core.codec.bounded;

import java.util.Map;

/**
 * A class railyard's codec reads in place of a JDK hash collection (same simple name, same serial
 * form, same serialVersionUID; {@link java.io.ObjectInputStream} compares class names without
 * their package), which charges its hashing to the {@link HashingBudget} before it builds the real
 * collection in {@code readResolve}. Instances never leave the decoding: the stream replaces each
 * with what its {@code readResolve} returns.
 */
public interface StandIn {

    /** The stand-in for each JDK class, by the JDK class's name. */
    Map<String, Class<?>> FOR = Map.of(
            "java.util.HashSet", HashSet.class,
            "java.util.LinkedHashSet", LinkedHashSet.class,
            "java.util.HashMap", HashMap.class,
            "java.util.LinkedHashMap", LinkedHashMap.class,
            "java.util.CollSer", CollSer.class);

    /** The JDK class a stand-in reads in place of. */
    static String standsFor(Class<?> standIn) {
        for (Map.Entry<String, Class<?>> e : FOR.entrySet()) if (e.getValue() == standIn) return e.getKey();
        return null;
    }
}
