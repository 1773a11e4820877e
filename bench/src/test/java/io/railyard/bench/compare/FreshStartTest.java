package io.railyard.bench.compare;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Fresh processes, really started: a JVM opening a threads pool, CPython's three models, and a failure. */
class FreshStartTest {

    private static void assertMeasured(Cell c, int trials) {
        assertTrue(c.ok(), c.id() + ": " + c.reason());
        assertEquals(FreshStart.WORK, c.work());
        assertEquals(trials, c.trials().size());
        for (CellTrial t : c.trials()) {
            assertTrue(t.wallS() > 0, "wall " + t.wallS());
            assertTrue(t.cpuS() > 0, "cpu " + t.cpuS());
            assertTrue(t.peakRssBytes() > 1 << 20, "peak " + t.peakRssBytes());
        }
    }

    @Test
    void aFreshJvmOpensItsPoolRunsOneTaskAndIsMeasuredFromOutside() {
        Cell c = FreshStart.java("threads", 2);
        assertMeasured(c, 2);
        assertEquals("java", c.language());
        assertEquals("fresh.threads.c1", c.id());
    }

    @Test
    void cpythonsModelsAreMeasuredTheSameWay() {
        String python = PythonModels.probeVersion("python3") == null ? null : "python3";
        assumeTrue(python != null, "python3 is not on the PATH");
        for (String m : PythonModels.MODELS) assertMeasured(FreshStart.python(python, m, 1), 1);
    }

    @Test
    void aProcessThatFailsBeforeItsPoolIsAFailedCellWithItsExitCode() {
        Cell c = FreshStart.java("no-such-model", 1);
        assertFalse(c.ok());
        assertTrue(c.reason().contains("exit code"), c.reason());
        assertTrue(List.of(Cell.FAILED).contains(c.status()), c.status());
    }
}
