package io.railyard.core.processes;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Which jars a worker gets: this JVM's class path less those of railyard's build lists beside its
 * core jar ({@code classpath}, {@code classpath-cluster}) that {@code classpath-workers} does not
 * name; everything when there is no {@code classpath-workers} or under {@code workerClassPath=inherit}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class WorkerClassPathTest {

    @TempDir
    Path dir;

    private static final String SEP = File.pathSeparator;

    @Test
    void theBuildsJarsNotListedForTheWorkersAreLeftOutAndEverythingElseKeepsItsOrder() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("target/lib"));
        Path core = Files.writeString(lib.resolve("railyard-core.jar"), "");
        lists(lib, "lib/railyard-core.jar" + SEP + "lib/railyard-bench.jar" + SEP + "lib/netty.jar",
                "lib/hazelcast.jar" + SEP + "lib/other-cluster.jar\n", "lib/railyard-core.jar" + SEP + "lib/railyard-bench.jar");
        Path elsewhere = Files.createDirectories(dir.resolve("mine"));
        String parent = String.join(SEP, lib.resolve("railyard-cli.jar").toString(), core.toString(), lib.resolve("netty.jar").toString(),
                lib.resolve("railyard-bench.jar").toString(), lib.resolve("hazelcast.jar").toString(), elsewhere.resolve("hazelcast.jar").toString(),
                elsewhere.resolve("classes").toString());

        WorkerClassPath cp = WorkerClassPath.of(parent, core);

        assertEquals(List.of(lib.resolve("railyard-cli.jar").toString(), core.toString(), lib.resolve("railyard-bench.jar").toString(),
                elsewhere.resolve("hazelcast.jar").toString(), elsewhere.resolve("classes").toString()), cp.entries(),
                "an entry in none of the build's lists, and a user's own copy of a library at another path, stay");
        assertEquals(List.of(lib.resolve("netty.jar").toString(), lib.resolve("hazelcast.jar").toString()), cp.omitted());
        assertEquals(String.join(SEP, cp.entries()), cp.toString());
    }

    @Test
    void aRelativeEntryIsMatchedByWhereItPoints() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("t/lib"));
        Path core = Files.writeString(lib.resolve("railyard-core.jar"), "");
        lists(lib, "", "lib/hazelcast.jar", "");
        String relative = Path.of("").toAbsolutePath().relativize(lib.resolve("sub/../hazelcast.jar")).toString();

        WorkerClassPath cp = WorkerClassPath.of(core + SEP + relative, core);

        assertEquals(List.of(core.toString()), cp.entries());
    }

    @Test
    void withoutTheListOrACoreJarTheWorkersGetThisJvmsClassPathAsItIs() throws IOException {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Path core = Files.writeString(lib.resolve("railyard-core.jar"), "");
        String parent = core + SEP + lib.resolve("hazelcast.jar") + SEP; // a trailing empty entry: the working directory
        Files.writeString(lib.resolve(WorkerClassPath.CLUSTER_LIST), "lib/hazelcast.jar");
        assertEquals(parent, WorkerClassPath.of(parent, core).toString(), "no classpath-workers beside the core jar");
        assertEquals(parent, WorkerClassPath.of(parent, null).toString(), "core classes from a directory");
        assertTrue(WorkerClassPath.of(parent, null).omitted().isEmpty());

        lists(lib, "", "", "");
        assertEquals(parent, WorkerClassPath.of(parent, core).toString(), "empty lists leave nothing out");
    }

    @Test
    void theOptionTakesAutoOrInherit() {
        assertEquals("auto", ProcessPoolOptions.DEFAULT.workerClassPath());
        assertEquals("inherit", ProcessPoolOptions.fromOptions(Map.of("workerClassPath", "inherit")).workerClassPath());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ProcessPoolOptions.fromOptions(Map.of("workerClassPath", "none")));
        assertTrue(e.getMessage().contains("workerClassPath must be auto or inherit"), e.getMessage());
        assertTrue(ProcessPoolOptions.KEYS.contains("workerClassPath"));
    }

    @Test
    void aRealPoolStartsItsWorkerWithoutTheJarsNotListedForItAndItRunsTasks() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("target/lib"));
        String main = TestJars.pack(Path.of("target", "classes"), lib.resolve("railyard-core.jar"));
        String tests = TestJars.pack(Path.of("target", "test-classes"), lib.resolve("tests.jar"));
        String cluster = TestJars.pack(Path.of("target", "test-classes", "io", "railyard", "core", "processes", "jobs"), lib.resolve("cluster.jar"));
        lists(lib, "lib/railyard-core.jar" + SEP + "lib/tests.jar", "lib/cluster.jar", "lib/railyard-core.jar" + SEP + "lib/tests.jar");
        Path home = Files.createDirectory(dir.resolve("home"));
        String classpath = String.join(SEP, main, tests, cluster);

        String auto = workerCommand(classpath, home, "auto");
        assertTrue(auto.contains(" -cp " + main + SEP + tests + " "), auto);
        assertFalse(auto.contains("cluster.jar"), auto);

        String inherit = workerCommand(classpath, home, "inherit");
        assertTrue(inherit.contains(" -cp " + classpath + " "), inherit);
    }

    /** Writes the build's three lists in {@code lib}. */
    private static void lists(Path lib, String all, String cluster, String workers) throws IOException {
        Files.writeString(lib.resolve(WorkerClassPath.ALL_LIST), all);
        Files.writeString(lib.resolve(WorkerClassPath.CLUSTER_LIST), cluster);
        Files.writeString(lib.resolve(WorkerClassPath.WORKERS_LIST), workers);
    }

    /** The command line of the worker a pool opened in a separate JVM on {@code classpath} ran a task in. */
    private String workerCommand(String classpath, Path home, String option) throws Exception {
        List<String> out = AotProbeMain.runInNewJvm(classpath, home, dir.resolve("probe.err"), 90, option);
        return out.stream().filter(l -> l.startsWith("worker=")).findFirst().orElseThrow(() -> new AssertionError(out));
    }
}
