package io.railyard.bench.crawl;

import com.sun.net.httpserver.HttpServer;
import io.railyard.core.Models;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.crawl.CrawlOptions;
import io.railyard.crawl.CrawlOutput;
import io.railyard.crawl.CrawlResult;
import io.railyard.crawl.Crawler;
import io.railyard.crawl.http.BlockingHttp;
import io.railyard.server.LatencyServer;
import io.railyard.server.ServerOptions;
import io.railyard.server.SiteGraph;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * What content decoding costs the crawler in CPU, on loopback: the generated site's pages served
 * identity, gzip, deflate and (when the {@code brotli} command is installed) br, each from a server
 * of its own in another JVM (pre-encoded, so the server does the same little work for each), crawled
 * in this JVM on the loop model; the crawler's process CPU is compared across codings, rounds
 * interleaved, medians reported. Run by {@code bench/scripts/crawl-compression.sh}.
 *
 * <p>{@code main(pages, rounds)} measures; {@code main("serve", dir)} is the server process.
 */
public final class CompressionCost {

    private static final List<String> CODINGS = List.of("identity", "gzip", "deflate", "br");

    private CompressionCost() {}

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("serve")) {
            serve(Path.of(args[1]));
            return;
        }
        int pages = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        measure(pages, rounds);
    }

    // ---------------------------------------------------------------- the measuring JVM

    private static void measure(int pages, int rounds) throws Exception {
        Path dir = Files.createTempDirectory("railyard-compression-");
        String origin;
        try (LatencyServer server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1).withSite(pages, 1))) {
            origin = server.origin();
            BlockingHttp http = new BlockingHttp();
            List<String> paths = new ArrayList<>(List.of("/robots.txt"));
            for (SiteGraph.Page p : server.site().pages()) paths.add(p.path());
            int i = 0;
            StringBuilder index = new StringBuilder();
            for (String path : paths) {
                BlockingHttp.Response r = http.get(URI.create(origin + path));
                Files.write(dir.resolve("page-" + i), r.body());
                index.append(path).append('\t').append(r.header("content-type")).append('\n');
                i++;
            }
            Files.writeString(dir.resolve("index.tsv"), index.toString());
            Files.writeString(dir.resolve("origin.txt"), origin);
        }
        Path ports = dir.resolve("ports.txt");
        String java = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), CompressionCost.class.getName(), "serve", dir.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.INHERIT).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
            while (!Files.exists(ports)) {
                if (!child.isAlive() || System.nanoTime() > deadline) throw new IllegalStateException("the site server did not start");
                Thread.sleep(100);
            }
            Map<String, String> origins = new LinkedHashMap<>();
            for (String line : Files.readAllLines(ports)) origins.put(line.split("\t")[0], line.split("\t")[1]);
            System.out.printf(Locale.ROOT, "%,d pages, codings %s; crawls on loop, C=50, in this JVM; the servers in another%n", pages, origins.keySet());
            Map<String, List<Long>> cpu = new LinkedHashMap<>();
            Map<String, CrawlResult> last = new HashMap<>();
            for (int round = 0; round <= rounds; round++) { // round 0 warms up the JIT
                for (String coding : origins.keySet()) {
                    long before = cpuNanos();
                    CrawlResult r = crawl(origins.get(coding), dir.resolve("out-" + coding + ".tsv"));
                    long used = cpuNanos() - before;
                    if (r.pages() != pages) throw new IllegalStateException(coding + ": " + r.pages() + " pages of " + pages);
                    if (round > 0) cpu.computeIfAbsent(coding, k -> new ArrayList<>()).add(used);
                    last.put(coding, r);
                }
            }
            double base = median(cpu.get("identity"));
            System.out.println("coding    wire MiB  decoded MiB  crawler CPU ms (median)  vs identity  per decoded MiB");
            for (String coding : cpu.keySet()) {
                CrawlResult r = last.get(coding);
                double ms = median(cpu.get(coding)) / 1e6;
                System.out.printf(Locale.ROOT, "%-9s %8.2f  %11.2f  %23.0f  %+10.0f ms  %+.1f ms%n", coding, r.wireBytes() / 1048576.0,
                        r.decodedBytes() / 1048576.0, ms, ms - base / 1e6, (ms - base / 1e6) / (r.decodedBytes() / 1048576.0));
            }
            System.out.println("all trials (ms): " + cpu.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().stream().map(v -> v / 1_000_000).toList()).toList());
        } finally {
            child.destroy();
            child.waitFor(10, TimeUnit.SECONDS);
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static CrawlResult crawl(String origin, Path out) throws Exception {
        CrawlOptions o = CrawlOptions.defaults(List.of(origin + SiteGraph.ROOT)).withConcurrency(50).withPerHost(50)
                .withMaxDepth(Integer.MAX_VALUE).withSameHost(true);
        try (TaskPool pool = Models.open("loop", PoolSpec.of(50)); CrawlOutput output = CrawlOutput.create(out)) {
            return new Crawler(pool, o, output, null).run(List.of());
        }
    }

    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static double median(List<Long> v) {
        List<Long> s = new ArrayList<>(v);
        s.sort(null);
        return s.size() % 2 == 1 ? s.get(s.size() / 2) : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2.0;
    }

    // ---------------------------------------------------------------- the serving JVM

    /** One server per coding, its pages pre-encoded; writes {@code ports.txt} (coding TAB origin) when all listen. */
    private static void serve(Path dir) throws Exception {
        String oldOrigin = Files.readString(dir.resolve("origin.txt")).strip();
        List<String> index = Files.readAllLines(dir.resolve("index.tsv"));
        boolean brotli = brotliCommand();
        StringBuilder ports = new StringBuilder();
        for (String coding : CODINGS) {
            if (coding.equals("br") && !brotli) {
                System.out.println("(br skipped: no 'brotli' command on the PATH; apt-get install brotli)");
                continue;
            }
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 500);
            String origin = "http://127.0.0.1:" + server.getAddress().getPort();
            Map<String, byte[]> bodies = new HashMap<>();
            Map<String, String> types = new HashMap<>();
            Path raw = Files.createDirectories(dir.resolve("raw-" + coding));
            for (int i = 0; i < index.size(); i++) {
                String[] f = index.get(i).split("\t");
                // every form of link to the old site (absolute, network-path) names its host:port
                byte[] body = Files.readString(dir.resolve("page-" + i)).replace(authority(oldOrigin), authority(origin)).getBytes(StandardCharsets.UTF_8);
                types.put(f[0], f[1]);
                Files.write(raw.resolve("p" + i), body);
                bodies.put(f[0], body);
            }
            if (coding.equals("br")) compressWithBrotli(raw, index.size());
            for (int i = 0; i < index.size(); i++) {
                String path = index.get(i).split("\t")[0];
                byte[] body = bodies.get(path);
                bodies.put(path, switch (coding) {
                    case "gzip" -> gzip(body);
                    case "deflate" -> deflate(body);
                    case "br" -> Files.readAllBytes(raw.resolve("p" + i + ".br"));
                    default -> body;
                });
            }
            server.setExecutor(Executors.newFixedThreadPool(8));
            server.createContext("/", ex -> {
                try (ex) {
                    byte[] body = bodies.get(ex.getRequestURI().getRawPath());
                    if (body == null) {
                        ex.sendResponseHeaders(404, -1);
                        return;
                    }
                    ex.getResponseHeaders().add("Content-Type", types.get(ex.getRequestURI().getRawPath()));
                    if (!coding.equals("identity")) ex.getResponseHeaders().add("Content-Encoding", coding);
                    ex.sendResponseHeaders(200, body.length);
                    try (OutputStream os = ex.getResponseBody()) {
                        os.write(body);
                    }
                }
            });
            server.start();
            ports.append(coding).append('\t').append(origin).append('\n');
        }
        Path tmp = dir.resolve("ports.tmp");
        Files.writeString(tmp, ports);
        Files.move(tmp, dir.resolve("ports.txt"));
        Thread.sleep(Long.MAX_VALUE); // until the measuring JVM ends this one
    }

    private static String authority(String origin) {
        return origin.substring(origin.indexOf("//") + 2);
    }

    private static boolean brotliCommand() {
        try {
            return new ProcessBuilder("brotli", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** {@code brotli -q 5} over the files, in batches (the command takes many files at once). */
    private static void compressWithBrotli(Path raw, int n) throws Exception {
        for (int start = 0; start < n; start += 500) {
            List<String> cmd = new ArrayList<>(List.of("brotli", "-q", "5", "-f", "-k"));
            for (int i = start; i < Math.min(n, start + 500); i++) cmd.add(raw.resolve("p" + i).toString());
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new IllegalStateException("brotli failed: " + out);
        }
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length / 3);
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    private static byte[] deflate(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length / 3);
        Deflater d = new Deflater(6);
        try (DeflaterOutputStream z = new DeflaterOutputStream(out, d)) {
            z.write(b);
        } finally {
            d.end();
        }
        return out.toByteArray();
    }
}
