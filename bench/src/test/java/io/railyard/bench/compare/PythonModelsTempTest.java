package io.railyard.bench.compare;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The directory CPython's script is extracted to is gone when the JVM ends without closing it (a compare stopped with Ctrl-C). */
class PythonModelsTempTest {

    @Test
    void aJvmThatEndsWithoutClosingLeavesNoScriptDirectory(@TempDir Path tmp) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.io.tmpdir=" + tmp, "-cp", System.getProperty("java.class.path"), OpenAndExit.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("opened"), out);
        try (var left = Files.list(tmp)) {
            assertEquals(List.of(), left.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("railyard-python-")).toList());
        }
    }

    /** Extracts the script, as compare does before its first CPython cell, and exits without close. */
    static final class OpenAndExit {
        public static void main(String[] args) throws Exception {
            PythonModels.open("python3", "3");
            System.out.println("opened");
            System.exit(0);
        }
    }
}
