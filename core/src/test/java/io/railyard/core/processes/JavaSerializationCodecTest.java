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
        byte[] payload = bytes.toByteArray();
        // the array's length is the int just before its 3 * 8 bytes of elements: declare 2^30 longs (8 GiB)
        ByteBuffer.wrap(payload).putInt(payload.length - 24 - 4, 1 << 30);
        NotEncodableException e = assertThrows(NotEncodableException.class, () -> strict.decode(payload));
        assertTrue(e.getMessage().contains("array of length " + (1 << 30)), e.getMessage());
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
