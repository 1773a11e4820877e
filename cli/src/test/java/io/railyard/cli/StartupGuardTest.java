package io.railyard.cli;

import io.railyard.server.LatencyServer;
import io.railyard.server.ServerOptions;
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
 * command line at all, a stored help screen neither, and a help picocli renders ({@code run --help}
 * with a usage width of one's own) must not build the models of the commands it only lists (their
 * options pull in the harness, the workloads, Netty, Jackson: the whole CLI), no command may read
 * an annotation (a proxy class spun per annotation type), nor the loop as it connects, and a run on
 * the loop makes none of the service lookups that open every jar of the class path, and a crawl does
 * not load brotli's decoder before a brotli answer. No timing: the classes loaded are what the time
 * goes to.
 */
class StartupGuardTest {

    @TempDir
    Path tmp;

    /** The classes a fresh JVM loads to run {@code railyard ARGS}, by name. */
    private List<String> classesLoadedBy(String... args) throws Exception {
        return classesLoadedBy(List.of(), args);
    }

    /** The same, with JVM options ({@code -Dname=value}) before the main class. */
    private List<String> classesLoadedBy(List<String> jvmOptions, String... args) throws Exception {
        Path log = tmp.resolve("classes-" + String.join("-", jvmOptions) + String.join("-", args).replaceAll("[^a-z]", "") + ".log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xshare:auto", "-Xlog:class+load=info:file=" + log));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
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
        // nor Netty's logger factory, which Main sets after --version (verifying Main must not need it)
        assertEquals(List.of(), filter(loaded, "io.netty."), "--version loaded Netty's classes");
    }

    @Test
    void aHelpScreenIsPrintedWithoutBuildingAnyCommand() throws Exception {
        for (String[] args : List.of(new String[]{"run", "--help"}, new String[]{"run", "cpu", "-h"}, new String[]{"--help"})) {
            List<String> loaded = classesLoadedBy(args);
            // Main and HelpScreens; picocli's ANSI rule and what its verification needs, not its model
            assertTrue(count(loaded, "io.railyard.") <= 3, String.join(" ", args) + " loaded " + filter(loaded, "io.railyard."));
            assertTrue(count(loaded, "picocli.") <= 40, String.join(" ", args) + " loaded " + filter(loaded, "picocli."));
            assertFalse(loaded.contains("picocli.CommandLine$Model$CommandSpec"), String.join(" ", args) + " built a command's model");
        }
    }

    @Test
    void runHelpRenderedByPicocliBuildsOnlyTheRunCommand() throws Exception {
        // a usage width of one's own is left to picocli (HelpScreens): the command line is built
        List<String> loaded = classesLoadedBy(List.of("-Dpicocli.usage.width=80"), "run", "--help");
        // (Main gives Netty its logger first: Netty's logger factory, its interface and the null check
        // the setter calls, and nothing else of Netty's)
        List<String> netty = List.of("io.netty.util.internal.logging.InternalLoggerFactory",
                "io.netty.util.internal.logging.InternalLogger", "io.netty.util.internal.ObjectUtil");
        loaded = loaded.stream().filter(c -> !netty.contains(c)).toList();
        for (String heavy : List.of("io.railyard.bench.", "io.railyard.core.", "io.railyard.loop.", "io.railyard.crawl.",
                "io.railyard.server.", "io.railyard.cluster.", "io.netty.", "com.fasterxml.", "com.hazelcast.", "org.jsoup."))
            assertEquals(0, count(loaded, heavy), "run --help loaded " + filter(loaded, heavy));
        // run, its three workloads listed by name and description, the top level, Main: not their options
        // (Main's lambdas, spun at run time, not counted)
        List<String> cli = filter(loaded, "io.railyard.cli.").stream().filter(c -> !c.contains("$$Lambda")).toList();
        assertTrue(cli.size() <= 10, "cli classes loaded by run --help: " + cli);
        assertFalse(loaded.contains(RunOptions.class.getName()), "the workloads' options are not built for run --help");
    }

    @Test
    void aCommandReadsNoAnnotationAsItStarts() throws Exception {
        // an annotation read through reflection makes the JVM spin a proxy class per annotation type,
        // 14-19 ms each: the commands are built from CommandSpecs instead (docs/startup.md)
        List<String> run = classesLoadedBy("run", "cpu", "-k", "5", "-m", "2", "-c", "1", "--model", "threads");
        List<String> crawlHelp = classesLoadedBy(List.of("-Dpicocli.usage.width=80"), "crawl", "--help");
        assertTrue(run.contains(RunCpuCommand.class.getName()) && run.contains(RunOutput.class.getName()), "run cpu ran");
        assertTrue(crawlHelp.contains(CrawlCommand.class.getName()), "picocli rendered crawl's help from its model");
        for (List<String> loaded : List.of(run, crawlHelp)) assertEquals(List.of(), proxies(loaded), "proxy classes: an annotation was read");
    }

    @Test
    void theCrawlProfilesTrainingRunsTheCrawlCommandOnTheLoopWithTheSiteInAnotherJvm() throws Exception {
        // every class the training loads goes into the crawl commands' start-up cache, and such a cache
        // loads all of them as the JVM starts: what a crawl on the loop loads, its command line included
        List<String> loaded = classesLoadedBy("aot-train", "crawl");
        for (String used : List.of(CrawlCommand.class.getName(), "io.railyard.crawl.Crawler", "io.railyard.crawl.AsyncFetchTask",
                "io.railyard.loop.LoopPool", "org.jsoup.parser.Tokeniser"))
            assertTrue(loaded.contains(used), "the training loads " + used);
        // the generated site is served by a JVM of its own, and the blocking models' fetch is not run
        for (String unused : List.of("io.railyard.server.LatencyServer", "io.railyard.server.HttpHandler",
                "io.railyard.crawl.FetchTask", "io.railyard.crawl.http.BlockingHttp"))
            assertFalse(loaded.contains(unused), "the training loads " + unused);
        // nor does the loop read an annotation as it connects: Netty reads @Skip on the handler's
        // methods, which the loop's handlers do not carry (io.railyard.loop.InboundHandler)
        assertEquals(List.of(), proxies(loaded), "proxy classes: an annotation was read");
    }

    @Test
    void theLoopIoProfilesTrainingRunsRunIoThroughTheCommandLineAndNothingElse() throws Exception {
        // the cache of `run io --model loop` holds what that command loads, its command line and both
        // outputs included (picocli's model of `run io` and the progress line were read from the jars
        // at every start when the training called the harness directly), and not the crawler's parser
        List<String> loaded = classesLoadedBy("aot-train", "loop-io");
        for (String used : List.of(RunIoCommand.class.getName(), RunOptions.class.getName(), RunOutput.class.getName(),
                "io.railyard.bench.harness.RunResultJson", "io.railyard.loop.LoopPool", "io.railyard.loop.HttpConnection"))
            assertTrue(loaded.contains(used), "the training loads " + used);
        for (String unused : List.of("io.railyard.crawl.Crawler", "org.jsoup.parser.Tokeniser", "io.railyard.server.LatencyServer"))
            assertFalse(loaded.contains(unused), "the training loads " + unused);
        assertEquals(List.of(), proxies(loaded), "proxy classes: an annotation was read");
    }

    @Test
    void runIoOnTheLoopSearchesNoJarForAServiceOrALogger() throws Exception {
        // each service lookup opens every jar of the class path (~20 ms): the model is loaded by its
        // name (Models), Netty is given its logger and its selector provider (Main, NettyLog), the loop
        // monitor makes its logger at its first warning, and the command ends without System.exit (no
        // global-executor thread left: Loop), whose logger lookup is the JDK's LoggerFinder search
        try (LatencyServer server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1))) {
            List<String> loaded = classesLoadedBy(List.of("--enable-native-access=ALL-UNNAMED"), "run", "io", "--model", "loop",
                    "-n", "200", "-c", "50", "--latency-ms", "5", "--url", server.origin() + "/delay/5", "--json",
                    // a cold JVM without a start-up cache may well take 100 ms in one callback: the
                    // warning's logger is then made, as it should be
                    "--model-option", "loop.slowCallbackMs=60000");
            assertTrue(loaded.contains("io.railyard.loop.HttpConnection"), "the run connected");
            for (String search : List.of("io.railyard.core.Models$All", "io.netty.util.internal.logging.Slf4JLoggerFactory",
                    "io.netty.util.internal.logging.JdkLoggerFactory", "jdk.internal.logger.BootstrapLogger$DetectBackend",
                    "sun.nio.ch.DefaultSelectorProvider"))
                assertFalse(loaded.contains(search), "run io loads " + search);
            // and its connections are made by a constructor reference, not by Netty's reflective factory
            assertFalse(loaded.contains("io.netty.channel.ReflectiveChannelFactory"), "run io makes its channels by reflection");
        }
    }

    @Test
    void aCrawlLoadsTheBrotliDecoderOnlyForABrotliAnswer() throws Exception {
        // org.brotli.dec is compiled for Java 5: no start-up cache holds it, and a class that refers to
        // it is checked against it as it links, which has the JVM open the class path's jars one by one
        // until dec.jar. The generated site answers identity: nothing may load it (ContentDecoding.Brotli)
        try (LatencyServer server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1).withSite(40, 1))) {
            Path out = tmp.resolve("crawl.tsv");
            List<String> loaded = classesLoadedBy(List.of("--enable-native-access=ALL-UNNAMED"), "crawl", server.origin() + "/site/",
                    "--out", out.toString(), "-c", "8", "--per-host", "8", "--depth", "all", "--same-host");
            assertTrue(loaded.contains("io.railyard.crawl.ContentDecoding"), "the crawl decoded its pages");
            assertTrue(Files.size(out) > 0, "the crawl wrote its links");
            assertEquals(List.of(), filter(loaded, "org.brotli."), "a crawl of identity answers loaded brotli's decoder");
            assertFalse(loaded.contains("io.netty.channel.ReflectiveChannelFactory"), "the crawl makes its channels by reflection");
        }
    }

    private static List<String> proxies(List<String> loaded) {
        return loaded.stream().filter(c -> c.substring(c.lastIndexOf('.') + 1).startsWith("$Proxy")).toList();
    }

    private static List<String> filter(List<String> classes, String prefix) {
        return classes.stream().filter(c -> c.startsWith(prefix)).toList();
    }
}
