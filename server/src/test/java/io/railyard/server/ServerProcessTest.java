package io.railyard.server;

import org.junit.jupiter.api.Test;

import java.util.List;
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
        // close returns once the server has stopped (a zombie waiting for init to reap it counts as stopped)
        assertFalse(p.isAlive(), "the server runs no more when close returns");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false) && System.nanoTime() < deadline) Thread.sleep(20);
        assertFalse(ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false), "and is reaped soon after");
    }

    @Test
    void everyOptionReachesTheServerProcess() throws Exception {
        // the site's failures: the first request of each page is answered 503, the next one 200
        try (ServerProcess p = ServerProcess.start(ServerOptions.defaults().withEchoPort(-1).withSite(20, 3).withSiteFailures(1, 503))) {
            assertEquals(-1, p.echoPort());
            assertEquals(503, RawHttp.get(p.port(), "/site/").status());
            assertEquals(200, RawHttp.get(p.port(), "/site/").status());
        }
    }

    /**
     * A JVM that starts servers and ends without closing them (Ctrl-C, SIGTERM, a crash: what a
     * stopped {@code railyard run io} does) leaves no temp file behind, nor does a server that failed
     * to start; the servers end by themselves with it.
     */
    @Test
    void aJvmThatEndsWithoutClosingItsServersLeavesNoTempFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), StartAndExit.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("failed as expected"), out);
        try (var left = java.nio.file.Files.list(tmp)) {
            assertEquals(List.of(), left.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("railyard-server-")).toList());
        }
    }

    /** Starts a server on a port another one holds (which fails), then one that serves, and exits without closing it. */
    static final class StartAndExit {
        public static void main(String[] args) {
            ServerProcess serving = ServerProcess.start(ServerOptions.defaults().withPort(0).withEchoPort(-1).withSite(5, 1));
            try {
                ServerProcess.start(ServerOptions.defaults().withPort(serving.port()).withEchoPort(-1).withSite(5, 1)).close();
            } catch (RuntimeException e) {
                System.out.println("failed as expected: " + e.getMessage());
            }
            System.exit(0); // no close: the server ends when it sees this JVM gone
        }
    }

    @Test
    void theServerProcessIsNoCommandLine() throws Exception {
        Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(), "--port", "0")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertEquals(1, out.strip().lines().count(), out);
        assertTrue(out.contains("use 'railyard serve'"), out);
    }
}
