package io.railyard.core.codec.bounded;

import java.io.InvalidObjectException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * How much hashing the decoding of one payload may do, and the walk that charges it. A hash
 * collection rebuilt from a stream hashes its keys, and a key's {@code hashCode} visits every
 * object under it as many times as it is reached: a graph of shared sets nested 100 deep (a 5 KB
 * payload) asks for 2^100 visits, the classic deserialization CPU bomb. The stand-ins of this
 * package walk what a collection will hash before they build it, counting the visits the hashing
 * would make against this budget, and refuse the payload when it runs out; since every hashing of
 * a decode is walked first, a decode hashes at most about as much as its budget.
 *
 * <p>The walk follows what {@code hashCode} follows: the elements of collections, the keys and
 * values of maps and entries, the components of records and the value of an {@link Optional}; any
 * other object is one visit, plain values none. It walks a map's values too (charged alike), to
 * refuse a collection that contains itself: a back reference read before the collection was
 * complete would otherwise leave its stand-in inside it. It keeps its own stack, so a deep graph
 * cannot overflow the thread's.
 *
 * <p>One budget per decoding thread ({@link #open}); not shared between threads.
 */
public final class HashingBudget implements AutoCloseable {
    private static final ThreadLocal<HashingBudget> CURRENT = new ThreadLocal<>();

    private final HashingBudget previous;
    private final long limit;
    private long spent;

    private HashingBudget(HashingBudget previous, long limit) {
        this.previous = previous;
        this.limit = limit;
    }

    /** A budget of {@code visits} for the decoding this thread does until {@link #close()}. */
    public static HashingBudget open(long visits) {
        HashingBudget b = new HashingBudget(CURRENT.get(), visits);
        CURRENT.set(b);
        return b;
    }

    @Override
    public void close() {
        if (previous == null) CURRENT.remove();
        else CURRENT.set(previous);
    }

    /** Visits charged so far. */
    public long spent() {
        return spent;
    }

    /**
     * Charges the visits hashing {@code keys} would make, and those of walking {@code others} (values
     * kept beside the keys), in which it also looks for the collection itself.
     *
     * @throws InvalidObjectException when the budget runs out, or the collection contains itself
     */
    static void charge(String what, Iterable<?> keys, Iterable<?> others) throws InvalidObjectException {
        HashingBudget b = CURRENT.get();
        if (b == null) throw new InvalidObjectException("a " + what + " stand-in outside railyard's codec");
        ArrayDeque<Object> todo = new ArrayDeque<>();
        for (Object k : keys) push(todo, k);
        for (Object v : others) push(todo, v);
        b.walk(what, todo);
    }

    private void walk(String what, ArrayDeque<Object> todo) throws InvalidObjectException {
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (o instanceof StandIn)
                throw new InvalidObjectException("a " + what + " that contains itself: refused by railyard's codec");
            if (++spent > limit)
                throw new InvalidObjectException("rebuilding a " + what + " would visit more than " + limit
                        + " objects (shared collections nested to multiply the work of hashing: the deserialization CPU bomb): refused");
            if (o instanceof Collection<?> c) {
                for (Object e : c) push(todo, e);
            } else if (o instanceof Map<?, ?> m) {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    push(todo, e.getKey());
                    push(todo, e.getValue());
                }
            } else if (o instanceof Map.Entry<?, ?> e) {
                push(todo, e.getKey());
                push(todo, e.getValue());
            } else if (o instanceof Optional<?> opt) {
                opt.ifPresent(v -> push(todo, v));
            } else if (o instanceof Record r) {
                for (RecordComponent rc : r.getClass().getRecordComponents()) {
                    Method accessor = rc.getAccessor();
                    if (rc.getType().isPrimitive() || !accessor.trySetAccessible()) continue;
                    try {
                        push(todo, accessor.invoke(r));
                    } catch (ReflectiveOperationException | RuntimeException ignored) {
                        // its hashCode may well fail the same way; nothing more to walk
                    }
                }
            }
        }
    }

    /** Plain values cost nothing to walk (their hash is a field or a loop over their own chars). */
    private static void push(ArrayDeque<Object> todo, Object o) {
        if (o != null && !(o instanceof String) && !(o instanceof Number) && !(o instanceof Boolean) && !(o instanceof Character)
                && !(o instanceof Enum<?>)) todo.push(o);
    }
}
