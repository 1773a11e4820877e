package io.railyard.cli;

import io.railyard.crawl.CrawlOptions;
import io.railyard.crawl.CrawlOutput;
import io.railyard.crawl.CrawlRun;
import io.railyard.bench.crawl.SiteCheck;
import io.railyard.bench.harness.Harness;
import io.railyard.bench.harness.ResultsJson;
import io.railyard.bench.harness.RunResult;
import io.railyard.bench.harness.RunResultJson;
import io.railyard.bench.workload.CpuWorkload;
import io.railyard.bench.workload.IoWorkload;
import io.railyard.server.LatencyServer;
import io.railyard.server.ServerProcess;
import io.railyard.server.ServerOptions;
import io.railyard.bench.workload.Workload;
import io.railyard.core.Models;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The training run the launcher records a JVM start-up cache from (JDK 25's AOT cache, or CDS on
 * older JDKs), one per profile of commands (see the launcher and docs/startup.md):
 * <ul>
 *   <li>{@code all} (the default): a small amount of every workload on every model present, so that
 *       the classes of every command are loaded, linked and profiled once ahead of time;</li>
 *   <li>{@code base}: the same without the cluster model, for the commands run without Hazelcast on
 *       their class path;</li>
 *   <li>{@code loop-io}: only what {@code run io --model loop} runs, at its scale, through the command
 *       line as a user runs it (with JSON output, then with text);</li>
 *   <li>{@code loop-io-warm}: the same work repeated in one run (a warm-up and two trials), as a warm
 *       {@code run io --model loop} repeats it: each trial opens and closes its pool and connections, and
 *       method profiles recorded across those boundaries spare the JIT recompiling there;</li>
 *   <li>{@code cpu}: {@code run cpu} on the processes, threads and virtual models;</li>
 *   <li>{@code crawl}: {@code railyard crawl} of the generated site on the loop, through the command
 *       line as a user runs it, the site served by a JVM of its own: the cache then holds the
 *       crawler's classes and its command's, not the server's nor the other models' (every class a
 *       cache holds is loaded as the JVM starts, and its pages are resident memory);</li>
 *   <li>{@code help}: {@code --help} and {@code run --help}, nothing else (such a cache loads every
 *       class it holds when the JVM starts, so a small command wants a small cache).</li>
 * </ul>
 * Hidden: users never call it.
 */
@Command(name = "aot-train", hidden = true, description = "Exercise every command path once (for the start-up cache).")
public final class AotTrainCommand implements Callable<Integer> {

    @Parameters(index = "0", arity = "0..1", defaultValue = "all", description = "all, base, loop-io, loop-io-warm, cpu, crawl or help")
    String profile;

    @Override
    public Integer call() throws Exception {
        Harness harness = new Harness(Map.of(), Harness.Listener.NONE);
        switch (profile) {
            case "all", "base" -> {
                try (CpuWorkload cpu = new CpuWorkload(18, 16); IoWorkload io = new IoWorkload(400, 1, null);
                     CpuWorkload workerCpu = new CpuWorkload(30, 40)) {
                    // the first processes pool also records the worker processes' own AOT cache (AotCache),
                    // method profiles included: run it as a real CPU pool runs, two workers long enough for
                    // the JIT to finish with fib. A worker that ran one fib(18) records a cold profile, and
                    // replayed later it misleads the JIT, and a cold `run cpu --model processes` runs slower
                    // (docs/measurements.md, processes)
                    if (Models.has("processes")) train(harness, workerCpu, "processes", 2);
                    for (Workload work : List.of(cpu, io))
                        for (String model : Models.names())
                            if (work.supports(model) && (profile.equals("all") || !model.equals("cluster")))
                                train(harness, work, model, 20);
                    // compare, advise and crawl write JSON with the mapper
                    ResultsJson.toLine(harness.run(cpu, "threads", 2, 0, 1));
                }
                trainCrawl();
            }
            case "loop-io" -> {
                if (!Models.has("loop")) return 0;
                // `run io --model loop` as a user runs it, its command line and both outputs included, with
                // the loop's HTTP client at its scale: hundreds of connections, many requests each
                // (`run connections` runs without a cache: the launcher's comment says why)
                PrintWriter none = new PrintWriter(Writer.nullWriter());
                for (String output : List.of("--json", "--trials=1")) {
                    int code = Main.run(none, none, "run", "io", "--model", "loop", "-n", "3000", "-c", "300", "--latency-ms", "5", output);
                    if (code != 0) throw new IllegalStateException("the training run io exited " + code);
                }
            }
            case "loop-io-warm" -> {
                if (!Models.has("loop")) return 0;
                try (IoWorkload io = new IoWorkload(3000, 5, null)) {
                    RunResult r = harness.run(io, "loop", 300, 1, 2);
                    RunOutput.summary(r);
                    RunResultJson.toLine(r);
                }
            }
            case "cpu" -> {
                try (CpuWorkload workerCpu = new CpuWorkload(30, 40); CpuWorkload cpu = new CpuWorkload(27, 40)) {
                    if (Models.has("processes")) train(harness, workerCpu, "processes", 2);
                    // the blocking models: the loop (Netty) would add a thousand classes every run cpu would load
                    for (String model : List.of("threads", "virtual"))
                        if (Models.has(model)) train(harness, cpu, model, 2);
                }
            }
            case "crawl" -> trainCrawlCommand();
            case "help" -> {
                PrintWriter none = new PrintWriter(Writer.nullWriter());
                Main.run(none, none, "--help");
                Main.run(none, none, "run", "--help");
            }
            default -> throw new UserError("aot-train: unknown profile '" + profile + "': all, base, loop-io, loop-io-warm, cpu, crawl or help");
        }
        return 0;
    }

    /** One cold run of {@code work} on {@code model}, through the summary and {@code run}'s JSON output classes too. */
    private static void train(Harness harness, Workload work, String model, int concurrency) throws Exception {
        RunResult r = harness.run(work, model, concurrency, 0, 1);
        RunOutput.summary(r);
        RunResultJson.toLine(r);
    }

    /**
     * {@code railyard crawl} of the generated site, as a user runs it (picocli's model of the command,
     * its summary), on the default model; the site is served by a child JVM ({@link ServerProcess}).
     */
    private static void trainCrawlCommand() throws Exception {
        try (ServerProcess server = ServerProcess.start(ServerOptions.defaults().withEchoPort(-1).withSite(600, 1))) {
            Path out = Files.createTempFile("railyard-aot-crawl-", ".tsv");
            try {
                PrintWriter none = new PrintWriter(Writer.nullWriter());
                int code = Main.run(none, none, "crawl", server.origin() + "/site/", "--out", out.toString(), "--overwrite",
                        "-c", "32", "--per-host", "32", "--depth", "all", "--same-host");
                if (code != 0) throw new IllegalStateException("the training crawl exited " + code);
            } finally {
                Files.deleteIfExists(out);
            }
        }
    }

    /** A small crawl of the generated site on the in-process models: jsoup, the crawler and the check, profiled. */
    private static void trainCrawl() throws Exception {
        try (LatencyServer server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1).withSite(600, 1))) {
            for (String model : List.of("loop", "virtual", "threads")) {
                if (!Models.has(model)) continue;
                Path out = Files.createTempFile("railyard-aot-crawl-", ".tsv");
                try (CrawlOutput output = CrawlOutput.create(out)) {
                    CrawlOptions o = CrawlOptions.defaults(List.of(server.origin() + "/site/")).withConcurrency(32)
                            .withPerHost(32).withMaxDepth(Integer.MAX_VALUE).withSameHost(true);
                    CrawlRun.run(model, Map.of(), o, output, List.of(), p -> { }, null);
                }
                SiteCheck.of(out, server.site(), server.origin(), true).describe();
                Files.delete(out);
            }
        }
    }
}
