package io.railyard.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Guards what a short command loads, read from the JVM's own class-loading log
 * ({@code -Xlog:class+load}) of a real {@code java} process: {@code --version} must not build the
 * command line at all, and {@code run --help} must not build the models of the commands it only
 * lists (their options pull in the harness, the workloads, Netty, Jackson: the whole CLI). No timing:
 * the classes loaded are what the time goes to.
 */
class StartupGuardTest {

    @TempDir
    Path tmp;

    /** The classes a fresh JVM loads to run {@code railyard ARGS}, by name. */
    private List<String> classesLoadedBy(String... args) throws Exception {
        Path log = tmp.resolve("classes-" + String.join("-", args).replaceAll("[^a-z]", "") + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-Xlog:class+load=info:file=" + log, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the command ends");
        assertEquals(0, p.exitValue(), out);
        List<String> names = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            int at = line.indexOf("] ", line.indexOf("class,load"));
            if (at < 0) continue;
            String rest = line.substring(at + 2);
            names.add(rest.substring(0, rest.indexOf(' ') < 0 ? rest.length() : rest.indexOf(' ')));
        }
        assertFalse(names.isEmpty(), "the log lists the classes loaded: " + log);
        return names;
    }

    private static long count(List<String> classes, String prefix) {
        return classes.stream().filter(c -> c.startsWith(prefix)).count();
    }

    @Test
    void versionLoadsNeitherTheCommandLineNorAnyCommand() throws Exception {
        List<String> loaded = classesLoadedBy("--version");
        // Main, RailyardCommand and the two exception types its verification needs; the command line's
        // model (picocli.CommandLine$Model...) and the subcommands would be hundreds
        assertTrue(count(loaded, "io.railyard.") <= 3, "railyard classes loaded by --version: " + filter(loaded, "io.railyard."));
        assertTrue(count(loaded, "picocli.") <= 3, "picocli classes loaded by --version: " + filter(loaded, "picocli."));
        assertFalse(loaded.contains("picocli.CommandLine"), "--version is printed before picocli is loaded");
    }

    @Test
    void runHelpBuildsOnlyTheRunCommand() throws Exception {
        List<String> loaded = classesLoadedBy("run", "--help");
        for (String heavy : List.of("io.railyard.bench.", "io.railyard.core.", "io.railyard.loop.", "io.railyard.crawl.",
                "io.railyard.server.", "io.railyard.cluster.", "io.netty.", "com.fasterxml.", "com.hazelcast.", "org.jsoup."))
            assertEquals(0, count(loaded, heavy), "run --help loaded " + filter(loaded, heavy));
        // run, its three workloads listed by name and description, the top level, Main: not their options
        assertTrue(count(loaded, "io.railyard.cli.") <= 10, "cli classes loaded by run --help: " + filter(loaded, "io.railyard.cli."));
        assertFalse(loaded.contains(RunOptions.class.getName()), "the workloads' options are not built for run --help");
    }

    private static List<String> filter(List<String> classes, String prefix) {
        return classes.stream().filter(c -> c.startsWith(prefix)).toList();
    }
}
