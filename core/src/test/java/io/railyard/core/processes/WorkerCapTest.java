package io.railyard.core.processes;

import io.railyard.core.PoolSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Worker JVMs within memory, and a pool that stops cleanly while it starts: a pool whose workers
 * would not fit in its allowance is refused at open having spawned one, not all; a JVM stopped by
 * SIGTERM while its pool starts exits promptly, leaving no worker and no pool directory behind.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class WorkerCapTest {

    @TempDir
    Path dir;

    private static long descendants() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
    }

    @Test
    void aPoolWhoseWorkersDoNotFitItsMemoryIsRefusedHavingStartedOne() throws Exception {
        long before = descendants();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ProcessPool(PoolSpec.of(40), ProcessPoolOptions.DEFAULT.withMaxMemoryBytes(96L << 20)).close());
        assertTrue(e.getMessage().contains("40 worker JVMs") && e.getMessage().contains("memory allows")
                && e.getMessage().contains("-c"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (descendants() > before) {
            assertTrue(System.nanoTime() < deadline, "the refused pool left workers running");
            Thread.sleep(20);
        }
        // what fits opens as before
        try (ProcessPool ok = new ProcessPool(PoolSpec.of(2), ProcessPoolOptions.DEFAULT.withMaxMemoryBytes(1L << 30))) {
            assertEquals(2, ok.workerPids().size());
        }
    }

    @Test
    void sigtermWhileThePoolStartsExitsPromptlyAndLeavesNothingBehind() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), StartingPoolMain.class.getName(), "6")
                .redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(parent.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("opening", out.readLine());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (parent.descendants().count() < 6) { // the workers spawned, all still in start-up (their initializer hangs)
            assertTrue(System.nanoTime() < deadline && parent.isAlive(), "the workers did not spawn");
            Thread.sleep(20);
        }
        List<ProcessHandle> workers = parent.descendants().toList();
        try (var left = Files.list(tmp)) {
            assertTrue(left.anyMatch(p -> p.getFileName().toString().startsWith("railyard-pool-")), "the pool directory exists while it starts");
        }
        parent.destroy(); // SIGTERM
        assertTrue(parent.waitFor(15, TimeUnit.SECONDS), "the JVM ignored SIGTERM while its pool started");
        for (ProcessHandle w : workers) {
            long d = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (w.isAlive()) {
                assertTrue(System.nanoTime() < d, "worker " + w.pid() + " outlived its parent");
                Thread.sleep(20);
            }
        }
        try (var left = Files.list(tmp)) {
            List<Path> pools = left.filter(p -> p.getFileName().toString().startsWith("railyard-pool-")).toList();
            assertTrue(pools.isEmpty(), "left behind: " + pools);
        }
    }
}
