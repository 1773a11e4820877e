package io.railyard.bench.crawl;

import io.railyard.crawl.CrawlOptions;
import io.railyard.crawl.CrawlOutput;
import io.railyard.crawl.CrawlRun;
import io.railyard.crawl.Urls;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.railyard.server.ServerOptions;
import io.railyard.server.ServerProcess;
import io.railyard.server.SiteGraph;
import io.railyard.core.Models;
import io.railyard.core.probe.ResourceSampler;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The crawl benchmark: railyard's crawler and a CPython asyncio crawler (standard library only,
 * {@code crawl_asyncio.py}) crawl the same generated site, served by the latency server in a
 * process of its own, in alternating trials of one run, and each output is checked against the
 * site's link graph. Prints wall time against the breadth-first limit
 * ({@link SiteCheck#limitSeconds}), CPU and peak memory.
 *
 * <pre>
 *   java -cp cli/target/railyard.jar io.railyard.bench.crawl.CrawlBenchmark \
 *        [--pages 5000] [--latency-ms 100] [-c 500] [--model loop] [--trials 3] [--python python3]
 * </pre>
 * Java runs in this JVM: its first trial is cold (the JIT has not seen the crawler yet), later
 * ones warm. Each CPython trial is a fresh interpreter; its wall time is its own (first request to
 * last page), like Java's, so neither counts interpreter or JVM start-up.
 *
 * <p>Single-threaded main; not for use from other code.
 */
public final class CrawlBenchmark {

    private record Trial(String crawler, int trial, double wallS, double cpuS, long peakRssBytes, long pages, String check) {}

    private CrawlBenchmark() {}

    public static void main(String[] args) throws Exception {
        int pages = 5000, latencyMs = 100, c = 500, trials = 3;
        String model = "loop", python = "python3";
        for (int i = 0; i < args.length; i++) {
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--pages" -> { pages = Integer.parseInt(v); i++; }
                case "--latency-ms" -> { latencyMs = Integer.parseInt(v); i++; }
                case "-c" -> { c = Integer.parseInt(v); i++; }
                case "--trials" -> { trials = Integer.parseInt(v); i++; }
                case "--model" -> { model = v; i++; }
                case "--python" -> { python = v; i++; }
                default -> {
                    System.err.println("crawl benchmark: unknown argument " + args[i]
                            + "; use [--pages N] [--latency-ms MS] [-c C] [--model M] [--trials T] [--python EXE|none]");
                    System.exit(2);
                }
            }
        }
        if (!Models.has(model)) {
            System.err.println("crawl benchmark: unknown model " + model + "; choose one of " + Models.names());
            System.exit(2);
        }
        SiteGraph site = SiteGraph.generate(pages, 1);
        double limit = SiteCheck.limitSeconds(site, c, latencyMs);
        System.out.printf(Locale.ROOT, "crawl benchmark: site of %,d pages (%,d reachable by a polite crawler, levels %s), %d ms per page, C=%d%n",
                pages, site.depths(true).size(), java.util.Arrays.toString(SiteCheck.levelSizes(site)), latencyMs, c);
        System.out.printf(Locale.ROOT, "limit = sum over levels of ceil(level / C) x latency = %.3f s%n%n", limit);
        System.out.printf("%-24s %5s %9s %10s %8s %9s  %s%n", "crawler", "trial", "wall s", "wall/limit", "cpu s", "peak MiB", "check");

        Path dir = Files.createTempDirectory("railyard-crawl-bench-");
        Path script = dir.resolve("crawl_asyncio.py");
        try (InputStream in = CrawlBenchmark.class.getResourceAsStream("/io/railyard/bench/python/crawl_asyncio.py")) {
            Files.copy(in, script);
        }
        List<Trial> results = new ArrayList<>();
        try (ServerProcess server = ServerProcess.start(ServerOptions.defaults().withEchoPort(-1).withSite(pages, 1).withSiteLatencyMs(latencyMs), SiteWarmUp.SERVER_REQUESTS)) {
            String seed = server.origin() + SiteGraph.ROOT;
            SiteWarmUp.warm(server.origin(), site);
            for (int t = 1; t <= trials; t++) {
                results.add(print(java(model, seed, c, site, server, dir, t), limit));
                if (!python.equals("none")) results.add(print(python(python, script, seed, c, site, server, dir, t), limit));
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) Files.deleteIfExists(p);
            }
            Files.deleteIfExists(dir);
        }
        System.out.println();
        String java = "railyard " + model;
        Trial cold = results.stream().filter(r -> r.crawler.equals(java)).findFirst().orElseThrow();
        double javaMedian = median(results, java);
        System.out.printf(Locale.ROOT, "%s: cold (trial 1) %.3f s = %.2f x limit; median %.3f s = %.2f x limit%n",
                java, cold.wallS, cold.wallS / limit, javaMedian, javaMedian / limit);
        if (!python.equals("none")) {
            double py = median(results, "cpython asyncio");
            System.out.printf(Locale.ROOT, "cpython asyncio: median %.3f s = %.2f x limit%n", py, py / limit);
            System.out.printf(Locale.ROOT, "railyard / asyncio wall: cold %.2f, median %.2f (below 1: railyard is faster)%n",
                    cold.wallS / py, javaMedian / py);
        }
        System.exit(0);
    }

    private static Trial java(String model, String seed, int c, SiteGraph site, ServerProcess server, Path dir, int t) throws Exception {
        Path out = dir.resolve("java-" + t + ".tsv");
        CrawlOptions options = CrawlOptions.defaults(List.of(Urls.normalize(seed))).withConcurrency(c).withPerHost(c)
                .withMaxDepth(Integer.MAX_VALUE).withSameHost(true);
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        CrawlRun.Outcome o;
        try (CrawlOutput output = CrawlOutput.create(out)) {
            o = CrawlRun.run(model, Map.of(), options, output, List.of(), null, null);
        }
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        SiteCheck check = SiteCheck.of(out, site, server.origin(), true);
        Files.delete(out);
        return new Trial("railyard " + model, t, o.result().wallSeconds(), cpu, o.peakRssBytes(), o.result().pages(), check.ok() ? "ok" : check.describe());
    }

    private static Trial python(String python, Path script, String seed, int c, SiteGraph site, ServerProcess server, Path dir, int t)
            throws IOException, InterruptedException {
        Path out = dir.resolve("python-" + t + ".tsv");
        Path log = dir.resolve("python-" + t + ".err");
        Process p = new ProcessBuilder(python, script.toString(), "--url", seed, "-c", String.valueOf(c), "--out", out.toString(), "--same-host")
                .redirectError(log.toFile()).start();
        // the child's own ru_maxrss would report the JVM it was forked from: sample its tree instead
        ResourceSampler sampler = ResourceSampler.ofTree(p.pid()).start();
        String json = new String(p.getInputStream().readAllBytes());
        boolean exited = p.waitFor(10, TimeUnit.MINUTES);
        long peak = sampler.stop().peakRssBytes();
        if (!exited || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("the CPython crawler failed: " + Files.readString(log).strip());
        }
        JsonNode j = new ObjectMapper().readTree(json);
        SiteCheck check = SiteCheck.of(out, site, server.origin(), true);
        Files.delete(out);
        return new Trial("cpython asyncio", t, j.get("wall_s").asDouble(), j.get("cpu_s").asDouble(), peak,
                j.get("pages").asLong(), check.ok() ? "ok" : check.describe());
    }

    private static Trial print(Trial r, double limit) {
        System.out.printf(Locale.ROOT, "%-24s %5d %9.3f %10.2f %8.3f %9.1f  %s%n", r.crawler, r.trial, r.wallS, r.wallS / limit, r.cpuS,
                r.peakRssBytes / 1048576.0, r.check);
        return r;
    }

    private static double median(List<Trial> results, String crawler) {
        double[] w = results.stream().filter(r -> r.crawler.equals(crawler)).mapToDouble(Trial::wallS).sorted().toArray();
        return w.length % 2 == 1 ? w[w.length / 2] : (w[w.length / 2 - 1] + w[w.length / 2]) / 2;
    }
}
