package io.railyard.core.codec;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RecordArgumentTest {

    record Settings(String host, int port, long seed, boolean flag, List<String> join, List<String> none) {
        Settings {
            if (port < 0) throw new IllegalArgumentException("port must be >= 0, was " + port);
        }
    }

    record Unsupported(java.time.Duration d) {}

    @Test
    void everyComponentAndTheExtrasSurviveOneArgument() {
        Settings s = new Settings("h=o:s#t !x\\y\nz \u00e9", 8080, -3L, true, List.of("a:1", "b = 2", "#c"), List.of());
        String arg = RecordArgument.encode(s, Map.of("parentPid", "42"));
        assertFalse(arg.startsWith("#"), "no date comment: " + arg);
        Map<String, String> values = RecordArgument.parse(arg);
        assertEquals("42", values.get("parentPid"));
        assertEquals(s, RecordArgument.decode(Settings.class, values));
    }

    @Test
    void theRecordsOwnChecksRunAndMalformedValuesAreNamed() {
        Map<String, String> values = RecordArgument.parse(RecordArgument.encode(
                new Settings("h", 1, 2, false, List.of(), List.of()), Map.of()));
        values.put("port", "-5");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RecordArgument.decode(Settings.class, values));
        assertEquals("port must be >= 0, was -5", e.getMessage());
        values.put("port", "eighty");
        e = assertThrows(IllegalArgumentException.class, () -> RecordArgument.decode(Settings.class, values));
        assertTrue(e.getMessage().contains("port=eighty"), e.getMessage());
        values.put("port", "80");
        values.remove("seed");
        e = assertThrows(IllegalArgumentException.class, () -> RecordArgument.decode(Settings.class, values));
        assertTrue(e.getMessage().contains("seed"), e.getMessage());
    }

    @Test
    void aComponentThatCannotTravelIsRefusedWhenEncoding() {
        assertThrows(IllegalStateException.class, () -> RecordArgument.encode(new Unsupported(java.time.Duration.ZERO), Map.of()));
        assertThrows(IllegalArgumentException.class, () -> RecordArgument.encode(
                new Settings("h", 1, 2, false, List.of(), List.of()), Map.of("port", "9")), "an extra may not shadow a component");
    }
}
