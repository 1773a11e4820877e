package io.railyard.core.processes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/** The workers' AOT cache: planned only for jar classpaths, trained once, then used; old caches pruned. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AotCacheTest {

    @TempDir
    Path dir;

    @Test
    void aClasspathWithDirectoriesGetsNoCache() {
        // the test classpath has target/classes: the JVM cannot archive classes from directories
        assertNull(AotCache.plan("auto", WorkerLauncher.flags(List.of()), WorkerClassPath.forThisJvm(WorkerClassPath.AUTO).entries()).file());
    }

    @Test
    void theFirstPoolTrainsTheCacheAndTheNextOneStartsItsWorkersWithIt() throws Exception {
        Path home = Files.createDirectory(dir.resolve("home"));
        String classpath = TestJars.pack(Path.of("target", "classes"), dir.resolve("main.jar")) + java.io.File.pathSeparator + TestJars.pack(Path.of("target", "test-classes"), dir.resolve("tests.jar"));

        List<String> first = probe(classpath, home);
        assertTrue(first.contains("existed=false"), first.toString());
        assertTrue(line(first, "worker=").contains("-XX:AOTCacheOutput="), "the first worker trains: " + first);
        Path cache = Path.of(line(first, "cache=").substring("cache=".length()));
        assertTrue(cache.startsWith(home), cache.toString());
        assertTrue(Files.size(cache) > 1_000_000, "a cache was written when the trainer exited: " + cache);
        String err = TestJars.readOrEmpty(dir.resolve("probe.err"));
        assertFalse(err.contains("AOTCache creation is complete") || err.contains("Temporary AOTConfiguration"),
                "the JVM's report of writing the cache is not forwarded as the worker's output: " + err);

        List<String> second = probe(classpath, home);
        assertTrue(second.contains("existed=true"), second.toString());
        assertTrue(line(second, "worker=").contains("-XX:AOTCache=" + cache), second.toString());
        try (Stream<Path> files = Files.list(cache.getParent())) {
            assertEquals(List.of(cache), files.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void aCacheIsNamedWithoutTheHeapsSizesSoEveryBudgetSharesIt() throws IOException {
        List<Path> jars = List.of(Files.createFile(dir.resolve("a.jar")));
        List<String> flags = WorkerLauncher.flags(List.of());
        String plain = AotCache.key(flags, jars);
        assertEquals(plain, AotCache.key(WorkerLauncher.flags(List.of("-XX:MaxRAM=126877696", "-Xmx64m", "-Xmn4m", "-XX:MaxRAMPercentage=50")), jars));
        assertNotEquals(plain, AotCache.key(WorkerLauncher.flags(List.of("-XX:+UseParallelGC")), jars), "a GC of its own: a cache of its own");
        assertNotEquals(plain, AotCache.key(WorkerLauncher.flags(List.of("-Dx=1")), jars));
    }

    @Test
    void existingUsesACacheButNeverTrainsOne() throws IOException {
        List<String> classPath = List.of(Files.createFile(dir.resolve("a.jar")).toString());
        Path caches = dir.resolve("caches");
        AotCache existing = AotCache.plan(caches, false, WorkerLauncher.flags(List.of()), classPath);
        List<String> flags = new java.util.ArrayList<>();
        assertNull(existing.next(flags), "no worker trains");
        assertFalse(String.join(" ", flags).contains("-XX:AOTCache"), flags.toString());
        Files.write(existing.file(), new byte[] {1});
        flags.clear();
        assertNull(existing.next(flags));
        assertTrue(flags.contains("-XX:AOTCache=" + existing.file()), flags.toString());

        AotCache auto = AotCache.plan(dir.resolve("other"), true, WorkerLauncher.flags(List.of()), classPath);
        flags.clear();
        assertNotNull(auto.next(flags), "auto: the first worker trains");
        assertTrue(String.join(" ", flags).contains("-XX:AOTCacheOutput="), flags.toString());
    }

    @Test
    void onlyTheJvmsOwnAotLinesCountAsTrainingChatter() {
        assertTrue(Worker.Output.isAotTrainingChatter("AOTCache creation is complete: /c/worker-1.aot.2.tmp 14385152 bytes"));
        assertTrue(Worker.Output.isAotTrainingChatter("Picked up JAVA_TOOL_OPTIONS: -Djava.class.path=a.jar -XX:AOTCacheOutput=/c/w.aot.tmp"));
        assertFalse(Worker.Output.isAotTrainingChatter("Picked up JAVA_TOOL_OPTIONS: -Dfoo=bar"), "the user's own tool options still show");
        assertFalse(Worker.Output.isAotTrainingChatter("task 3 printed this"));
    }

    @Test
    void pruningKeepsTheNewestCachesAndNothingElseIsTouched() throws IOException {
        for (int i = 0; i < AotCache.KEEP + 3; i++) {
            Path f = Files.writeString(dir.resolve("worker-" + Integer.toHexString(0xa0 + i) + ".aot"), "x");
            Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        Files.writeString(dir.resolve("unrelated.aot"), "keep me");
        AotCache.prune(dir);
        try (Stream<Path> files = Files.list(dir)) {
            List<String> names = files.map(p -> p.getFileName().toString()).sorted().toList();
            assertEquals(AotCache.KEEP + 1, names.size(), names.toString());
            assertTrue(names.contains("unrelated.aot"));
            assertFalse(names.contains("worker-a0.aot"), "the oldest went");
            assertTrue(names.contains("worker-" + Integer.toHexString(0xa0 + AotCache.KEEP + 2) + ".aot"), "the newest stayed");
        }
    }

    @Test
    void pruningRemovesTheTemporaryFilesOfTrainingsWhoseParentDied() throws IOException {
        Path stale = Files.writeString(dir.resolve("worker-ab.aot.1234abcd.tmp"), "x");
        Path staleConfig = Files.writeString(dir.resolve("worker-ab.aot.1234abcd.tmp.config"), "");
        Path training = Files.writeString(dir.resolve("worker-cd.aot.5678ef.tmp"), "x"); // a training under way
        long old = System.currentTimeMillis() - AotCache.STRAY_TEMP_MILLIS - 60_000;
        Files.setLastModifiedTime(stale, FileTime.fromMillis(old));
        Files.setLastModifiedTime(staleConfig, FileTime.fromMillis(old));
        AotCache.prune(dir);
        assertFalse(Files.exists(stale));
        assertFalse(Files.exists(staleConfig));
        assertTrue(Files.exists(training), "a recent temporary file may belong to a training that is still running");
    }

    private List<String> probe(String classpath, Path home) throws Exception {
        return AotProbeMain.runInNewJvm(classpath, home, dir.resolve("probe.err"), 60);
    }

    private static String line(List<String> lines, String prefix) {
        return lines.stream().filter(l -> l.startsWith(prefix)).findFirst().orElseThrow(() -> new AssertionError("no " + prefix + " in " + lines));
    }
}
