package io.railyard.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The launcher script, run for real: its JDK search with a fake old JDK on the PATH, and the JVM
 * flags it gives each kind of command, read from a fake JDK 25 whose {@code java} writes down its
 * arguments (the launcher runs from a copy beside a stand-in build, so nothing is built or started).
 */
class LauncherTest {

    @TempDir
    Path tmp;

    private static Path launcher() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("railyard"))) p = p.getParent();
        assertNotNull(p, "the railyard launcher is at the repository root");
        return p.resolve("railyard");
    }

    private Path fakeJdk(String name, int version) throws Exception {
        Path bin = Files.createDirectories(tmp.resolve(name).resolve("bin"));
        String script = "#!/bin/sh\necho '    java.specification.version = " + version + "' >&2\n";
        for (String tool : new String[]{"java", "javac"}) {
            Path f = bin.resolve(tool);
            Files.writeString(f, script);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return tmp.resolve(name);
    }

    @Test
    void withoutAJdk21ItSaysWhatToInstallAndExits2() throws Exception {
        Path old = fakeJdk("jdk17", 17);
        Path emptyJvmDir = Files.createDirectories(tmp.resolve("jvm"));
        ProcessBuilder pb = new ProcessBuilder("bash", launcher().toString(), "run", "cpu").redirectErrorStream(true);
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("PATH", old.resolve("bin") + ":/usr/bin:/bin");
        pb.environment().put("RAILYARD_JVM_DIR", emptyJvmDir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue(), out);
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.contains("needs a JDK 21 or newer"), out);
        assertTrue(out.contains("java 17"), "names what it found: " + out);
        assertTrue(out.contains("Install"), out);
    }

    @Test
    void aNewEnoughJdkInTheJvmDirectoryIsFound() throws Exception {
        Path old = fakeJdk("jdk17", 17);
        Path jvmDir = Files.createDirectories(tmp.resolve("jvm"));
        Path real = Path.of(System.getProperty("java.home"));
        Files.createSymbolicLink(jvmDir.resolve("real-jdk"), real);
        ProcessBuilder pb = new ProcessBuilder("bash", launcher().toString(), "java-home").redirectErrorStream(true);
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("PATH", old.resolve("bin") + ":/usr/bin:/bin");
        pb.environment().put("RAILYARD_JVM_DIR", jvmDir.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertEquals(jvmDir.resolve("real-jdk").toString(), out.strip(), "skips the old JDK on the PATH");
    }

    /** Whether the fake JDK's training runs write the cache they are asked for. */
    private boolean writeCaches;

    /** Each {@code java} command line the launcher runs for {@code args}: the start-up cache's training first, if any. */
    private List<List<String>> javaCommands(String... args) throws Exception {
        return javaCommandsOn(25, args);
    }

    /** {@link #javaCommands} with a JDK of feature release {@code jdk} as JAVA_HOME. */
    private List<List<String>> javaCommandsOn(int jdk, String... args) throws Exception {
        Path root = tmp.resolve("checkout");
        Path home = tmp.resolve("jdk" + jdk);
        if (!Files.exists(root)) {
            Path lib = Files.createDirectories(root.resolve("cli/target/lib"));
            Files.copy(launcher(), root.resolve("railyard"));
            Files.writeString(root.resolve("cli/target/railyard.jar"), "");
            Files.writeString(lib.resolve("classpath"), "lib/core.jar");
            Files.writeString(lib.resolve("classpath-cluster"), "lib/cluster.jar");
            Files.createDirectories(lib.resolve("native"));
        }
        if (!Files.exists(home)) {
            Path bin = Files.createDirectories(home.resolve("bin"));
            Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + jdk + ".0.1\"\n");
            // FAKE_JAVA_TRAIN_EXIT: the start-up cache's training ends with that status (130: stopped by Ctrl-C);
            // with FAKE_JAVA_WRITES_CACHE set, a training run leaves a cache file, as the real one does
            String script = "#!/bin/sh\nprintf '%s\\001' \"$@\" >>\"$FAKE_JAVA_LOG\"\necho >>\"$FAKE_JAVA_LOG\"\n"
                    + "case \"$*\" in *aot-train*) [ -n \"$FAKE_JAVA_TRAIN_EXIT\" ] && exit \"$FAKE_JAVA_TRAIN_EXIT\" ;; esac\n"
                    + "[ -n \"$FAKE_JAVA_WRITES_CACHE\" ] && for a; do case \"$a\" in -XX:AOTCacheOutput=*) : >\"${a#-XX:AOTCacheOutput=}\";; esac; done\n"
                    + "exit 0\n";
            for (String tool : new String[]{"java", "javac"}) {
                Files.writeString(bin.resolve(tool), script);
                Files.setPosixFilePermissions(bin.resolve(tool), PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        }
        Path log = tmp.resolve("java.log");
        Files.deleteIfExists(log);
        List<String> command = new ArrayList<>(List.of("bash", root.resolve("railyard").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", home.toString());
        pb.environment().put("FAKE_JAVA_LOG", log.toString());
        pb.environment().put("RAILYARD_BUILD", "never");
        if (writeCaches) pb.environment().put("FAKE_JAVA_WRITES_CACHE", "1");
        for (String v : new String[]{"RAILYARD_JAVA_OPTS", "RAILYARD_AOT", "RAILYARD_MEMORY_MBYTES", "APIFY_MEMORY_MBYTES", "RAILYARD_CLASSPATH"})
            pb.environment().remove(v);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        List<List<String>> runs = new ArrayList<>();
        for (String line : Files.readAllLines(log)) if (!line.isEmpty()) runs.add(List.of(line.split("\u0001")));
        assertFalse(runs.isEmpty(), "the launcher ran java: " + out);
        return runs;
    }

    /** The JVM flags of the command's own run (the last java command), up to the main class. */
    private List<String> jvmFlags(String... args) throws Exception {
        List<List<String>> runs = javaCommands(args);
        List<String> run = runs.get(runs.size() - 1);
        return run.subList(0, run.indexOf("io.railyard.cli.Main"));
    }

    private static String startupCache(List<String> flags) {
        return flags.stream().filter(f -> f.startsWith("-Drailyard.startupCache=")).findFirst().orElseThrow();
    }

    @Test
    void aColdIoRunOnTheLoopIsC1OnlyWithASixMegabyteYoungGenerationHalfSurvivorSpace() throws Exception {
        for (String[] args : List.of(
                new String[]{"run", "io", "--model", "loop", "-n", "100"},
                new String[]{"run", "io", "--model=loop", "--warmup", "0", "--trials", "1"})) {
            List<String> flags = jvmFlags(args);
            assertTrue(flags.contains("-XX:TieredStopAtLevel=1"), String.join(" ", args) + ": " + flags);
            assertTrue(flags.contains("-Xmn6m") && flags.contains("-XX:SurvivorRatio=2"), String.join(" ", args) + ": " + flags);
            assertTrue(startupCache(flags).endsWith("-loop-io.aot"), startupCache(flags));
            String what = String.join(" ", args) + ": " + flags;
            // no compilation over 2 MB of the compiler's memory, after `quiet`; the queued tasks' headroom
            int quiet = flags.indexOf("-XX:CompileCommand=quiet"), limit = flags.indexOf("-XX:CompileCommand=MemLimit,*.*,2m");
            assertTrue(quiet >= 0 && limit > quiet, what);
            assertTrue(flags.contains("-Drailyard.oldGenHeadroom=16777216"), what);
            // Netty's native library from lib/native, before the JDK's own list
            assertTrue(flags.stream().anyMatch(f -> f.startsWith("-Djava.library.path=") && f.contains("/cli/target/lib/native:")
                    && f.endsWith(":/usr/java/packages/lib:/usr/lib64:/lib64:/lib:/usr/lib")), what);
        }
        // JDK 21 has no MemLimit, and a JVM does not start on a compile command it does not know
        List<List<String>> on21 = javaCommandsOn(21, "run", "io", "--model", "loop", "-n", "100");
        List<String> flags21 = on21.get(on21.size() - 1);
        assertTrue(flags21.contains("-XX:TieredStopAtLevel=1") && flags21.stream().noneMatch(f -> f.startsWith("-XX:CompileCommand")), flags21.toString());
        // a crawl keeps the default compile limit (jsoup's parser needs 4.8 MB) and the usual headroom
        List<String> crawl = jvmFlags("crawl", "http://127.0.0.1:1/");
        assertTrue(crawl.contains("-XX:TieredStopAtLevel=1") && crawl.stream().noneMatch(f -> f.startsWith("-XX:CompileCommand")), crawl.toString());
        assertTrue(crawl.contains("-Drailyard.oldGenHeadroom=8388608"), crawl.toString());
        assertTrue(crawl.contains("-Xmn8m") && crawl.stream().noneMatch(f -> f.startsWith("-XX:SurvivorRatio")), crawl.toString());
    }

    @Test
    void aMemoryBudgetGivenAsAShareSizesTheHeapAtAQuarterOfIt() throws Exception {
        // the JVM's heap is MaxRAMPercentage of the machine's memory: a quarter of the budget's share, in percent
        for (String share : new String[]{"0.5", "0.042", "0.003", "0.25", "1"}) {
            List<String> flags = jvmFlags("run", "cpu", "--budget-memory", share);
            String percent = flags.stream().filter(f -> f.startsWith("-XX:MaxRAMPercentage=")).findFirst().orElseThrow().split("=")[1];
            assertEquals(Double.parseDouble(share) * 25, Double.parseDouble(percent), 1e-9, share + ": " + flags);
        }
    }

    @Test
    void ctrlCWhileTheStartupCacheIsRecordedStopsTheCommand() throws Exception {
        javaCommands("run", "cpu"); // the checkout and the JDK, as the other tests have them
        Path root = tmp.resolve("checkout");
        for (Path f : Files.list(root.resolve(".railyard")).toList()) Files.delete(f); // no cache yet: the next run records one
        Path log = tmp.resolve("java.log");
        Files.deleteIfExists(log);
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("railyard").toString(), "run", "cpu").redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", tmp.resolve("jdk25").toString());
        pb.environment().put("FAKE_JAVA_LOG", log.toString());
        pb.environment().put("FAKE_JAVA_TRAIN_EXIT", "130");
        pb.environment().put("RAILYARD_BUILD", "never");
        for (String v : new String[]{"RAILYARD_JAVA_OPTS", "RAILYARD_AOT", "RAILYARD_MEMORY_MBYTES", "APIFY_MEMORY_MBYTES", "RAILYARD_CLASSPATH"})
            pb.environment().remove(v);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(130, p.exitValue(), "the launcher stops with the training's status: " + out);
        List<String> runs = Files.readAllLines(log).stream().filter(l -> !l.isEmpty()).toList();
        assertEquals(1, runs.size(), "the command itself does not run after a Ctrl-C: " + runs);
        assertTrue(runs.get(0).contains("aot-train"), runs.toString());
    }

    @Test
    void ctrlCDuringTheBuildStopsTheCommandWithItsStatus() throws Exception {
        javaCommands("run", "cpu"); // the checkout and the JDK, as the other tests have them
        Path root = tmp.resolve("checkout");
        Files.delete(root.resolve("cli/target/railyard.jar")); // no build yet: the launcher builds first
        Path mvnw = root.resolve("mvnw");
        Files.writeString(mvnw, "#!/bin/sh\necho 'Building railyard...'\nexit 130\n"); // Maven's JVM stopped by Ctrl-C
        Files.setPosixFilePermissions(mvnw, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path log = tmp.resolve("java.log");
        Files.deleteIfExists(log);
        ProcessBuilder pb = new ProcessBuilder("bash", root.resolve("railyard").toString(), "run", "cpu").redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", tmp.resolve("jdk25").toString());
        pb.environment().put("FAKE_JAVA_LOG", log.toString());
        pb.environment().remove("RAILYARD_BUILD");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(130, p.exitValue(), "the launcher stops with the build's status: " + out);
        assertFalse(out.contains("the build failed"), "a stopped build is no failed one: " + out);
        assertTrue(!Files.exists(log) || Files.readAllLines(log).stream().noneMatch(l -> l.contains("io.railyard.cli.Main")),
                "the command does not run");
    }

    @Test
    void heldConnectionsRunWithAFourMegabyteYoungGenerationASmallHeadroomAndNoStartupCache() throws Exception {
        for (String[] args : List.of(
                new String[]{"run", "connections", "--model", "loop", "--warmup", "1", "--trials", "3"},
                new String[]{"run", "connections", "--model", "virtual", "-c", "100"})) {
            List<String> flags = jvmFlags(args);
            String what = String.join(" ", args) + ": " + flags;
            assertTrue(flags.contains("-Xmn4m"), what);
            assertTrue(flags.contains("-XX:MarkSweepDeadRatio=0"), what);
            assertTrue(flags.contains("-Drailyard.oldGenHeadroomPercent=5"), what);
            assertTrue(flags.stream().noneMatch(f -> f.startsWith("-Drailyard.startupCache=")), what);
            if (args[3].equals("loop")) assertTrue(flags.contains("-XX:TieredStopAtLevel=1") && flags.contains("-Xshare:off"), what);
            else {
                assertTrue(flags.contains("-XX:-TieredCompilation"), what);
                // the limit on a compilation's memory, after `quiet`: a CompileCommand before it prints on stdout
                int quiet = flags.indexOf("-XX:CompileCommand=quiet"), limit = flags.indexOf("-XX:CompileCommand=MemLimit,*.*,8m");
                assertTrue(quiet >= 0 && limit > quiet, what);
            }
        }
        // JDK 21 has no MemLimit, and a JVM does not start on a compile command it does not know
        List<List<String>> on21 = javaCommandsOn(21, "run", "connections", "--model", "virtual", "-c", "100");
        List<String> flags21 = on21.get(on21.size() - 1);
        assertTrue(flags21.contains("-XX:-TieredCompilation") && flags21.stream().noneMatch(f -> f.startsWith("-XX:CompileCommand")), flags21.toString());
    }

    @Test
    void aWarmIoRunOnTheLoopGetsTheWholeJitAndAStartupCacheTrainedWarmAtTheSameHeap() throws Exception {
        for (String[] args : List.of(
                new String[]{"run", "io", "--model", "loop", "--warmup", "1", "--trials", "3", "-n", "100"},
                new String[]{"run", "io", "--model=loop", "--trials=2"},
                new String[]{"run", "io", "--warmup=2", "--model", "loop"})) {
            List<List<String>> runs = javaCommands(args);
            List<String> run = runs.get(runs.size() - 1);
            List<String> flags = run.subList(0, run.indexOf("io.railyard.cli.Main"));
            assertTrue(flags.stream().noneMatch(f -> f.startsWith("-XX:TieredStopAtLevel")), String.join(" ", args) + ": " + flags);
            assertTrue(flags.contains("-Xmn8m") && flags.stream().noneMatch(f -> f.startsWith("-XX:SurvivorRatio")), String.join(" ", args) + ": " + flags);
            assertTrue(startupCache(flags).endsWith("-loop-io-warm.aot"), startupCache(flags));
            assertEquals(List.of("aot-train", "loop-io-warm"), runs.get(0).subList(runs.get(0).size() - 2, runs.get(0).size()),
                    "the cache is recorded by the warm training: " + runs.get(0));
            assertEquals(args.length, run.size() - run.indexOf("io.railyard.cli.Main") - 1, "the arguments pass through: " + run);
        }
    }

    @Test
    void aNewMemoryBudgetUsesTheStartupCacheRecordedAtAnotherHeapSize() throws Exception {
        writeCaches = true;
        List<List<String>> first = javaCommands("run", "cpu", "--budget-memory", "300m");
        assertEquals(2, first.size(), "the first run records the cache: " + first);
        List<List<String>> second = javaCommands("run", "cpu", "--budget-memory", "400m");
        assertEquals(1, second.size(), "another budget sizes the heap, and the cache fits any heap: " + second);
        assertTrue(second.get(0).contains("-XX:MaxRAM=" + (400L << 20)), second.get(0).toString());
        assertEquals(1, javaCommands("run", "cpu").size(), "nor does a run without a budget record it again");
    }
}
