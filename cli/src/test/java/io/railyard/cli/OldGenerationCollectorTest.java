package io.railyard.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The old-generation collector in real JVMs with the Serial collector: the same garbage (objects
 * that live through a few young collections, so they are promoted, then die) grows the old
 * generation without the collector and stays near its live objects plus the headroom with it.
 */
class OldGenerationCollectorTest {

    /**
     * Promotes ~640 MB of short-lived arrays, keeping 4 MB of them alive at any time; prints
     * "collections committedOldBytes" at the end. The end, not the peak: the threshold's
     * notification comes on the JVM's notification thread, which a program doing nothing but
     * allocate may outrun at first (its first notification runs cold), so the old generation may
     * grow before the first full collection; once collected, it is sized to what is alive again.
     */
    public static void main(String[] args) {
        OldGenerationCollector c = args.length > 0 ? OldGenerationCollector.install(Long.parseLong(args[0]), OldGenerationCollector.DEFAULT_SHARE_PERCENT) : null;
        MemoryPoolMXBean old = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getName().equals("Tenured Gen")).findFirst().orElseThrow();
        byte[][] ring = new byte[256][]; // 256 x 16 KiB = 4 MiB alive
        for (int i = 0; i < 40_960; i++) {
            ring[i % ring.length] = new byte[16 << 10];
            if (i % 64 == 0) Thread.yield();
        }
        System.out.println((c == null ? -1 : c.collections()) + " " + old.getUsage().getCommitted());
    }

    private static long[] run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmn2m", "-Xms4m", "-Xmx1g", "-XX:MinHeapFreeRatio=20", "-XX:MaxHeapFreeRatio=40",
                "-cp", System.getProperty("java.class.path"), OldGenerationCollectorTest.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the JVM did not end");
        assertEquals(0, p.exitValue(), out);
        String[] f = out.lines().reduce((a, b) -> b).orElse("").split(" ");
        return new long[]{Long.parseLong(f[0]), Long.parseLong(f[1])};
    }

    @Test
    void keepsTheOldGenerationNearWhatItKeepsAlive() throws Exception {
        long[] without = run();
        long[] with = run(Long.toString(8 << 20));
        assertTrue(with[0] > 0, "the collector asked for no full collection");
        // live 4 MiB + 8 MiB headroom, against the 640 MB promoted
        assertTrue(without[1] > 2 * with[1], "without the collector the old generation reached only "
                + (without[1] >> 20) + " MiB, with it " + (with[1] >> 20) + " MiB: the test shows nothing");
    }

    @Test
    void theHeadroomIsTheLargerOfTheLeastAndTheShareOfTheLive() {
        long mib = 1 << 20;
        assertEquals(64 * mib + 16 * mib, OldGenerationCollector.threshold(64 * mib, 8 * mib, 25));
        assertEquals(64 * mib + 8 * mib, OldGenerationCollector.threshold(64 * mib, 8 * mib, 10), "a tenth of 64 MiB is under the least headroom");
        assertEquals(200 * mib + 20 * mib, OldGenerationCollector.threshold(200 * mib, 8 * mib, 10));
        assertEquals(8 * mib, OldGenerationCollector.threshold(0, 8 * mib, 25));
    }
}
