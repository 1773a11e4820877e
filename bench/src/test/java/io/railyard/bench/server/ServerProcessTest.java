package io.railyard.bench.server;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The server in a detached JVM: serves, is not in this process's tree, and is gone after close. */
class ServerProcessTest {

    @Test
    void servesOutsideThisProcessTreeAndStopsOnClose() throws Exception {
        ServerProcess p = ServerProcess.start(ServerOptions.defaults().withSite(20, 3));
        try {
            assertTrue(p.isAlive());
            assertFalse(ProcessHandle.current().descendants().anyMatch(h -> h.pid() == p.pid()),
                    "the server must not count in the client's process tree");
            assertEquals(200, RawHttp.get(p.port(), "/site/").status());
            assertEquals(1024, RawHttp.get(p.port(), "/delay/5").body().length);
            assertTrue(p.echoPort() > 0);
        } finally {
            p.close();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (p.isAlive() && System.nanoTime() < deadline) Thread.sleep(20);
        assertFalse(p.isAlive());
    }
}
