package io.railyard.cluster;

import org.junit.jupiter.api.Test;

import java.util.logging.Level;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TuningTest {
    @Test
    void theClusterLogLevelIsOffUnlessAsked() {
        assertEquals(Level.OFF, Tuning.logLevel(null));
        assertEquals(Level.INFO, Tuning.logLevel("INFO"));
        assertEquals(Level.WARNING, Tuning.logLevel(" warning ".toUpperCase()));
    }

    @Test
    void aValueThatIsNotALevelLeavesTheLogOffInsteadOfFailingTheClassInitializer() {
        assertEquals(Level.OFF, Tuning.logLevel("verbose"));
    }
}
