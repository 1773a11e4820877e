package io.railyard.core.codec;

import io.railyard.core.ChunkTask;
import io.railyard.core.processes.ProcessPoolOptions;
import io.railyard.core.processes.jobs.FaultJobs;
import io.railyard.core.processes.jobs.secret.Secret;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.Serializable;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

/** The default payload codec: what the allow-list lets through in each direction, and what it refuses. */
class JavaSerializationCodecTest {
    private final JavaSerializationCodec strict = new JavaSerializationCodec(AllowList.defaults());
    private final JavaSerializationCodec tests = new JavaSerializationCodec(AllowList.of(List.of(FaultJobs.ALLOW)));

    // ------------------------------------------------------------------ plain records skip Java serialization

    record Point(int x, long y, double z, boolean on, String label, Integer maybe, ArrayList<Object> tags, Point next) implements Serializable {}

    record Guarded(int n) implements Serializable {
        static final AtomicInteger BUILT = new AtomicInteger();

        Guarded {
            BUILT.incrementAndGet();
            if (n < 0) throw new IllegalArgumentException("n must be >= 0, was " + n);
        }
    }

    record Holder(List<Integer> immutable) implements Serializable {}

    record Replaced(int n) implements Serializable {
        private Object writeReplace() {
            return new Replaced(n + 1);
        }
    }

    record NotSerializable(int n) {}

    private static String nested(String simpleName) {
        return JavaSerializationCodecTest.class.getName() + "$" + simpleName;
    }

    private final JavaSerializationCodec records = new JavaSerializationCodec(AllowList.of(List.of(
            nested("Point"), nested("Guarded"), nested("Holder"), nested("Replaced"), nested("NotSerializable"))));

    @Test
    void aPlainRecordOfValuesTravelsAsAValueAndComesBackEqual() {
        ArrayList<Object> tags = new ArrayList<>(List.of("a", 2, new ArrayList<>(List.of(3L))));
        Point inner = new Point(-1, Long.MIN_VALUE, Double.NaN, false, null, null, new ArrayList<>(), null);
        Point p = new Point(7, 1L << 40, 2.5, true, "héllo", 42, tags, inner);
        byte[] bytes = records.encode(p);
        assertEquals(JavaSerializationCodec.RECORD, bytes[0], "a record of values skips Java serialization");
        assertEquals(p, records.decode(bytes));
    }

    @Test
    void aRecordOffTheListIsRefusedAtEncodeAndItsBytesAtDecodeBeforeItsConstructorRuns() {
        NotEncodableException e = assertThrows(NotEncodableException.class, () -> strict.encode(new Guarded(1)));
        assertTrue(e.getMessage().contains(nested("Guarded")) && e.getMessage().contains("allow="), e.getMessage());

        byte[] hostile = records.encode(new Guarded(1));
        int built = Guarded.BUILT.get();
        e = assertThrows(NotEncodableException.class, () -> strict.decode(hostile));
        assertTrue(e.getMessage().contains(nested("Guarded")) && e.getMessage().contains("allow="), e.getMessage());
        assertEquals(built, Guarded.BUILT.get(), "the constructor of a refused class never ran");
    }

    @Test
    void theCanonicalConstructorStillGuardsWhatADecodedRecordHolds() {
        byte[] bytes = records.encode(new Guarded(5));
        int at = bytes.length - 4; // the component: INT tag, then the int
        assertEquals(JavaSerializationCodec.INT, bytes[at - 1]);
        ByteBuffer.wrap(bytes).putInt(at, -3);
        NotEncodableException e = assertThrows(NotEncodableException.class, () -> records.decode(bytes));
        assertTrue(e.getMessage().contains("n must be >= 0, was -3"), e.getMessage());
    }

    @Test
    void recordsThatAreNotPlainValuesGoThroughJavaSerializationWithItsRules() {
        Holder h = new Holder(List.of(1, 2)); // List.of is not a value: the whole record takes the Java form
        byte[] bytes = records.encode(h);
        assertEquals(JavaSerializationCodec.JAVA, bytes[0]);
        assertEquals(h, records.decode(bytes));

        byte[] replaced = records.encode(new Replaced(1)); // writeReplace is honoured, as Java serialization does
        assertEquals(JavaSerializationCodec.JAVA, replaced[0]);
        assertEquals(new Replaced(2), records.decode(replaced));

        NotEncodableException e = assertThrows(NotEncodableException.class, () -> records.encode(new NotSerializable(1)));
        assertTrue(e.getMessage().contains("not Serializable"), e.getMessage());
    }

    @Test
    void aCorruptRecordPayloadIsRefusedWithAClearMessage() {
        byte[] bytes = records.encode(new Guarded(5));
        // the component count sits right after the class name: claim two components instead of one
        int count = bytes.length - 5 - 4;
        ByteBuffer.wrap(bytes).putInt(count, 2);
        NotEncodableException e = assertThrows(NotEncodableException.class, () -> records.decode(bytes));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());

        byte[] truncated = java.util.Arrays.copyOf(records.encode(new Guarded(5)), 10);
        e = assertThrows(NotEncodableException.class, () -> records.decode(truncated));
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());

        byte[] unknown = records.encode(new Guarded(5));
        unknown[unknown.length - 10] = 'Q'; // the class name's last letter: ...$GuardeQ, which does not exist
        e = assertThrows(NotEncodableException.class, () -> records.decode(unknown));
        assertTrue(e.getMessage().contains("GuardeQ is not on this JVM's classpath"), e.getMessage());
    }

    @Test
    void basicValuesAndCollectionsRoundTripUnderTheDefaults() {
        Map<String, Object> m = new HashMap<>();
        m.put("list", new ArrayList<>(List.of(1, 2L, 3.0, "x")));
        m.put("immutable", List.of(new int[]{1, 2}, java.time.Duration.ofSeconds(3), new java.math.BigDecimal("1.5")));
        Object back = strict.decode(strict.encode(m));
        assertEquals(m.toString().replaceAll("\\[I@\\w+", ""), back.toString().replaceAll("\\[I@\\w+", ""));
    }

    @Test
    void theDefaultsAdmitChunkTasksOfAllowedFunctionsOnly() {
        ChunkTask<Integer, Integer> chunk = new ChunkTask<>(new FaultJobs.Identity(), List.of(1, 2, 3));
        assertEquals(chunk, tests.decode(tests.encode(chunk)));
        NotEncodableException e = assertThrows(NotEncodableException.class, () -> strict.encode(chunk));
        assertTrue(e.getMessage().contains(FaultJobs.Identity.class.getName()), e.getMessage());
    }

    @Test
    void decodingRefusesAClassOffTheListNamingIt() {
        JavaSerializationCodec lax = new JavaSerializationCodec(AllowList.of(List.of("io.railyard.core.processes.jobs.**")));
        byte[] hostile = lax.encode(new Secret.Value("payload"));
        NotEncodableException e = assertThrows(NotEncodableException.class, () -> tests.decode(hostile));
        assertTrue(e.getMessage().contains(Secret.Value.class.getName()) && e.getMessage().contains("allow="), e.getMessage());
    }

    @Test
    void anArrayLongerThanThePayloadIsRefusedBeforeItIsAllocated() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new long[]{7, 8, 9});
        }
        byte[] stream = bytes.toByteArray();
        byte[] payload = new byte[stream.length + 1]; // the codec's first byte: JAVA, a serialization stream follows
        System.arraycopy(stream, 0, payload, 1, stream.length);
        // the array's length is the int just before its 3 * 8 bytes of elements: declare 2^30 longs (8 GiB)
        ByteBuffer.wrap(payload).putInt(payload.length - 24 - 4, 1 << 30);
        NotEncodableException e = assertThrows(NotEncodableException.class, () -> strict.decode(payload));
        assertTrue(e.getMessage().contains("array of length " + (1 << 30)), e.getMessage());
    }

    @Test
    void plainValuesTakeTheCompactFormAndKeepTheirTypes() {
        List<Object> values = new ArrayList<>(java.util.Arrays.asList(null, true, false, 7, 8L, 2.5, "héllo", new ArrayList<>(List.of(1, "x"))));
        byte[] compact = strict.encode(values);
        assertEquals(JavaSerializationCodec.LIST, compact[0]);
        assertEquals(values, strict.decode(compact));
        assertTrue(compact.length < 60, compact.length + " bytes");
        // a List.of(..) is not an ArrayList: it keeps its class (and immutability) through Java serialization
        Object immutable = strict.decode(strict.encode(List.of(1, 2)));
        assertEquals(List.of(1, 2).getClass(), immutable.getClass());
        ChunkTask<Integer, Integer> chunk = new ChunkTask<>(new FaultJobs.Identity(), new ArrayList<>(List.of(1, 2, 3)));
        byte[] c = tests.encode(chunk);
        assertEquals(JavaSerializationCodec.CHUNK, c[0]);
        assertEquals(chunk, tests.decode(c));
        assertEquals(chunk, tests.decode(c), "the cached function decodes the same");
    }

    @Test
    void corruptCompactPayloadsAreRefusedCleanly() {
        java.util.Random rnd = new java.util.Random(7);
        byte[] valid = tests.encode(new ChunkTask<>(new FaultJobs.Identity(), new ArrayList<>(List.of(1, 2, 3, 4))));
        for (int round = 0; round < 3_000; round++) {
            byte[] b = round % 2 == 0 ? valid.clone() : new byte[1 + rnd.nextInt(64)];
            if (round % 2 == 0) b[1 + rnd.nextInt(b.length - 1)] = (byte) rnd.nextInt(256);
            else {
                rnd.nextBytes(b);
                b[0] = (byte) (1 + rnd.nextInt(9));
            }
            try {
                tests.decode(b);
            } catch (NotEncodableException e) {
                assertFalse(e.getMessage().isBlank());
            }
        }
    }

    @Test
    void serializableLambdasNeedTheirCapturingClassAllowed() {
        io.railyard.core.BlockingTask<String> lambda = () -> "hi";
        NotEncodableException e = assertThrows(NotEncodableException.class, () -> strict.encode(lambda));
        assertTrue(e.getMessage().contains(JavaSerializationCodecTest.class.getName()), e.getMessage());
        JavaSerializationCodec mine = new JavaSerializationCodec(AllowList.of(List.of(JavaSerializationCodecTest.class.getName())));
        Object back = mine.decode(mine.encode(lambda));
        assertInstanceOf(io.railyard.core.BlockingTask.class, back);
    }

    @Test
    void badPatternsAreRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AllowList.of(List.of("com.acme.*.Foo")));
        assertTrue(e.getMessage().contains("'com.acme.*.Foo'") && e.getMessage().contains("com.acme.**"), e.getMessage());
        IllegalArgumentException o = assertThrows(IllegalArgumentException.class,
                () -> ProcessPoolOptions.fromOptions(Map.of("maxTasksPerWorker", "lots")));
        assertTrue(o.getMessage().contains("maxTasksPerWorker=lots"), o.getMessage());
    }
}
