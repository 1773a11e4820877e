package io.railyard.core.processes;

import io.railyard.core.ChunkTask;
import io.railyard.core.processes.jobs.FaultJobs;
import io.railyard.core.processes.jobs.secret.Secret;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The default payload codec: what the allow-list lets through in each direction, and what it refuses. */
class JavaSerializationCodecTest {
    private final JavaSerializationCodec strict = new JavaSerializationCodec(AllowList.defaults());
    private final JavaSerializationCodec tests = new JavaSerializationCodec(AllowList.of(List.of(FaultJobs.ALLOW)));

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
