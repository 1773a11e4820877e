package io.railyard.cli;

import io.railyard.bench.compare.Cell;
import io.railyard.bench.compare.CellTrial;
import io.railyard.bench.compare.FreshCommand;
import io.railyard.server.LatencyServer;
import io.railyard.server.ServerOptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** compare's fresh io command, for real: a new JVM running {@code railyard run io} against a server on loopback. */
class CompareFreshIoTest {

    @Test
    void aFreshRunIoCommandIsMeasuredFromOutsideWithEveryRequestAnswered() {
        try (LatencyServer server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1))) {
            Cell c = FreshCommand.io("loop", 8, 40, 10, server.origin() + "/delay/10");
            assertTrue(c.ok(), c.id() + ": " + c.reason());
            assertEquals("fresh-io.loop.c8", c.id());
            assertEquals(1, c.trials().size());
            CellTrial t = c.trials().get(0);
            assertEquals(40, t.ok());
            assertEquals(0, t.failed());
            assertTrue(t.wallS() > 0 && t.cpuS() > 0, "wall " + t.wallS() + ", cpu " + t.cpuS());
            assertTrue(t.peakRssBytes() > 16 << 20, "a JVM's tree: " + t.peakRssBytes());
            assertTrue(String.valueOf(c.params().get("command")).startsWith("railyard run io --model loop -c 8 -n 40"), c.params().toString());
        }
    }

    @Test
    void aCommandThatCannotReachItsServerIsAFailedCell() {
        Cell c = FreshCommand.io("threads", 2, 4, 10, "http://127.0.0.1:1/delay/10");
        assertFalse(c.ok());
        assertNotNull(c.reason());
    }
}
