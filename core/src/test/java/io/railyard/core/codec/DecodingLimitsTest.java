package io.railyard.core.codec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The codec against hostile payloads: the nested-HashSet CPU bomb and its variants are refused in
 * bounded time, deep graphs are refused rather than overflowing the stack (and an overflow is a
 * task's failure, not an Error), and the JDK's hash collections read by the bounded stand-ins come
 * back exactly as they were sent.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DecodingLimitsTest {

    private final JavaSerializationCodec codec = new JavaSerializationCodec(AllowList.of(List.of(DecodingLimitsTest.class.getName() + "$Holder")));

    /** The classic bomb (SerialDOS): hashing the top set visits 2^levels sets. */
    static Set<Object> bomb(int levels) {
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root, s2 = new HashSet<>();
        for (int i = 0; i < levels; i++) {
            Set<Object> t1 = new HashSet<>(), t2 = new HashSet<>();
            t1.add("x");
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        return root;
    }

    /** The bomb with lists in the middle: one HashSet on top, a DAG of shared lists below (no set nests in a set). */
    static Set<Object> listBomb(int levels) {
        List<Object> a = new ArrayList<>(List.of("x")), b = new ArrayList<>();
        for (int i = 0; i < levels; i++) {
            List<Object> na = new ArrayList<>(List.of(a, b, "x")), nb = new ArrayList<>(List.of(a, b));
            a = na;
            b = nb;
        }
        Set<Object> top = new HashSet<>();
        List<Object> holder = new ArrayList<>();
        top.add(holder); // hashed while empty: building the bomb must not set it off
        holder.add(a);
        holder.add(b);
        return top;
    }

    /** A payload in the Java form as written by the JDK, without the codec's encode-side checks. */
    private static byte[] javaForm(Object value) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.write(JavaSerializationCodec.JAVA);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        }
        return bytes.toByteArray();
    }

    private NotEncodableException refusedWithin(Duration bound, byte[] payload) {
        return assertTimeoutPreemptively(bound, () -> assertThrows(NotEncodableException.class, () -> codec.decode(payload)),
                "the decode burnt a core instead of refusing the payload");
    }

    @Test
    void theHundredLevelBombOfTheIssueIsRefusedAtOnce() throws Exception {
        byte[] payload = javaForm(bomb(100));
        assertTrue(payload.length < 10_000, "a few KB: " + payload.length);
        NotEncodableException e = refusedWithin(Duration.ofSeconds(20), payload);
        assertTrue(e.getMessage().contains("deeper than 100") || e.getMessage().contains("CPU bomb"), e.getMessage());
    }

    @Test
    void aBombShallowEnoughToPassTheDepthLimitIsRefusedByTheHashingBudget() throws Exception {
        for (Set<Object> bomb : List.of(bomb(40), listBomb(40))) {
            NotEncodableException e = refusedWithin(Duration.ofSeconds(20), javaForm(bomb));
            assertTrue(e.getMessage().contains("CPU bomb"), e.getMessage());
        }
        // the same shapes, small, are ordinary data
        assertEquals(2, ((Set<?>) codec.decode(javaForm(bomb(8)))).size()); // (the original's hashes are stale: built by mutation)
        assertEquals(1, ((Set<?>) codec.decode(javaForm(listBomb(6)))).size());
    }

    @Test
    void nestedMapsAThousandDeepAreRefusedNotAStackOverflowError() throws Exception {
        Map<String, Object> deep = new HashMap<>();
        for (int i = 0; i < 1_000; i++) deep = new HashMap<>(Map.of("k", deep));
        Map<String, Object> toWrite = deep;
        AtomicReference<byte[]> written = new AtomicReference<>();
        Thread big = new Thread(null, () -> {
            try {
                written.set(javaForm(toWrite));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, "big-stack", 64L << 20); // writing it needs a deep stack; reading it must not
        big.start();
        big.join(60_000);
        byte[] payload = written.get();
        assertNotNull(payload);
        NotEncodableException e = assertThrows(NotEncodableException.class, () -> codec.decode(payload));
        assertTrue(e.getMessage().contains("deeper than 100"), e.getMessage());
    }

    @Test
    void aStackOverflowWhileDecodingOrEncodingIsTheTasksFailure() throws Exception {
        LinkedList<Object> nested = new LinkedList<>();
        for (int i = 0; i < 90; i++) nested = new LinkedList<>(List.of(nested)); // under the depth limit
        byte[] payload = javaForm(nested);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread small = new Thread(null, () -> {
            try {
                codec.decode(payload);
            } catch (Throwable t) {
                thrown.set(t);
            }
        }, "small-stack", 48 * 1024);
        small.start();
        small.join(60_000);
        NotEncodableException e = assertInstanceOf(NotEncodableException.class, thrown.get(), "a small stack overflows: " + thrown.get());
        assertTrue(e.getMessage().contains("overflowed the stack"), e.getMessage());

        List<Object> tooDeep = new ArrayList<>();
        for (int i = 0; i < 100_000; i++) tooDeep = new LinkedList<>(List.of(tooDeep));
        List<Object> encode = tooDeep;
        NotEncodableException enc = assertThrows(NotEncodableException.class, () -> codec.encode(encode));
        assertTrue(enc.getMessage().contains("overflowed the stack"), enc.getMessage());
    }

    @Test
    void hashCollectionsWithoutABoundedReaderAreRefusedNamingTheFix() throws Exception {
        NotEncodableException e = assertThrows(NotEncodableException.class, () -> codec.decode(javaForm(new Hashtable<>(Map.of("k", 1)))));
        assertTrue(e.getMessage().contains("java.util.Hashtable") && e.getMessage().contains("send a HashMap"), e.getMessage());
        e = assertThrows(NotEncodableException.class, () -> codec.decode(javaForm(new Mine())));
        assertTrue(e.getMessage().contains("extends java.util.HashMap"), e.getMessage());
    }

    static final class Mine extends HashMap<String, String> {}

    record Holder(HashMap<String, Integer> map, Set<String> set, List<Object> list, Map<Object, Object> tree) implements Serializable {}

    @Test
    void theJdkHashCollectionsComeBackExactlyAsSent() throws Exception {
        HashMap<String, Integer> withNulls = new HashMap<>();
        withNulls.put(null, 1);
        withNulls.put("none", null);
        LinkedHashMap<String, Integer> accessOrder = new LinkedHashMap<>(16, 0.75f, true);
        for (String k : List.of("c", "a", "b")) accessOrder.put(k, k.length());
        accessOrder.get("c"); // c is now last
        LinkedHashSet<String> ordered = new LinkedHashSet<>(List.of("z", "y", "x"));
        Map<String, Set<List<Integer>>> nested = new HashMap<>(Map.of("a", new HashSet<>(Set.of(List.of(1, 2), List.of(3)))));
        List<Object> values = Arrays.asList(withNulls, accessOrder, ordered, nested, new HashSet<>(), new HashMap<>(),
                Set.of("p", "q"), Map.of("k", 1, "l", 2), List.of(1, 2, 3), Arrays.asList(1, null, 3).stream().toList(),
                new Holder(new HashMap<>(Map.of("n", 1)), Set.of("s"), List.of(Map.of(1, 2)), new TreeMap<>(Map.of("t", 1))));
        for (Object v : values) {
            Object back = codec.decode(javaForm(v));
            assertEquals(v, back, "equal: " + v);
            assertEquals(v.getClass(), back.getClass(), "same class: " + v.getClass());
        }
        @SuppressWarnings("unchecked")
        LinkedHashMap<String, Integer> back = (LinkedHashMap<String, Integer>) codec.decode(javaForm(accessOrder));
        assertEquals(List.of("a", "b", "c"), new ArrayList<>(back.keySet()), "iteration order kept");
        back.get("a");
        assertEquals(List.of("b", "c", "a"), new ArrayList<>(back.keySet()), "still in access order");
        assertEquals(List.of("z", "y", "x"), new ArrayList<>((LinkedHashSet<?>) codec.decode(javaForm(ordered))));
        // and through the codec's own encode, as tasks travel
        assertEquals(nested, codec.decode(codec.encode(nested)));
    }

    @Test
    void aMapThatContainsItselfIsRefusedNotHalfBuilt() throws Exception {
        HashMap<String, Object> self = new HashMap<>();
        self.put("list", new ArrayList<>(List.of(self)));
        NotEncodableException e = assertThrows(NotEncodableException.class, () -> codec.decode(javaForm(self)));
        assertTrue(e.getMessage().contains("contains itself"), e.getMessage());
    }
}
