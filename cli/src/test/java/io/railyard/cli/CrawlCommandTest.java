package io.railyard.cli;

import io.railyard.crawl.CrawlOutput;
import io.railyard.bench.crawl.SiteCheck;
import io.railyard.server.LatencyServer;
import io.railyard.server.ServerOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code railyard crawl} end to end: a crawl killed with {@code kill -9} in its own JVM and resumed
 * ends with the same file as an uninterrupted one; a stop signal leaves whole pages; bad input is one
 * line and exit code 2, before anything is fetched; the demo checks its own result.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CrawlCommandTest {

    static final int PAGES = 500;
    static LatencyServer server;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1).withSite(PAGES, 9).withSiteLatencyMs(25));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Outcome(int code, String out, String err) {}

    static Outcome railyard(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    private String root() {
        return server.origin() + "/site/";
    }

    private List<String> crawlArgs(Path out, String... more) {
        List<String> a = new ArrayList<>(List.of("crawl", root(), "--depth", "all", "--same-host", "-c", "8", "--per-host", "8",
                "--out", out.toString()));
        a.addAll(List.of(more));
        return a;
    }

    /** {@code railyard crawl ...} in a JVM of its own, as a user runs it. */
    private Process crawlProcess(Path out, Path log, String... more) throws Exception {
        return crawlProcess(List.of(), crawlArgs(out, more), log);
    }

    private static Process crawlProcess(List<String> jvmOptions, List<String> args, Path log) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "--enable-native-access=ALL-UNNAMED"));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Records of a kind ({@code #page}, {@code #error}...) in a tsv or jsonl output. */
    private static long records(Path out, String kind) throws Exception {
        if (!Files.exists(out)) return 0;
        String jsonType = "{\"type\":\"" + kind.substring(1) + "\"";
        try (var lines = Files.lines(out)) {
            return lines.filter(l -> l.startsWith(kind + "\t") || (l.startsWith(jsonType) && l.endsWith("}"))).count();
        }
    }

    private static void awaitPages(Process p, Path out, long pages, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (records(out, "#page") < pages) {
            if (!p.isAlive()) fail("the crawl ended before " + pages + " pages: " + Files.readString(log));
            if (System.nanoTime() > deadline) fail("no " + pages + " pages within 90 s: " + Files.readString(log));
            Thread.sleep(20);
        }
    }

    /** The server's request count once the killed crawler's last requests are answered and nothing moves for 200 ms. */
    private static long settledRequestTotal() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        long total = -1;
        while (System.nanoTime() < deadline) {
            long now = server.stats().requests().total();
            if (now == total && server.stats().requests().current() == 0) return now;
            total = now;
            Thread.sleep(200);
        }
        return fail("the server did not settle: " + server.stats());
    }

    private static List<String> sortedRecords(Path f) throws Exception {
        List<String> records = new ArrayList<>(CrawlOutput.read(f).records().stream().map(Object::toString).toList());
        records.sort(null);
        return records;
    }

    private static List<String> sortedLines(Path f) throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(f));
        lines.sort(null);
        return lines;
    }

    @ParameterizedTest
    @ValueSource(strings = {"tsv", "jsonl"})
    void aCrawlKilledWithKill9AndResumedEndsWithTheUninterruptedCrawlsFile(String format) throws Exception {
        Path reference = dir.resolve("reference." + format);
        Outcome ref = railyard(crawlArgs(reference, "--format", format).toArray(String[]::new));
        assertEquals(0, ref.code(), ref.err());
        assertTrue(SiteCheck.of(reference, server.site(), server.origin(), true).ok());

        Path out = dir.resolve("killed." + format);
        Path log = dir.resolve("killed.log");
        Process p = crawlProcess(out, log, "--format", format);
        try {
            awaitPages(p, out, 120, log);
            p.destroyForcibly(); // SIGKILL: no hook, no flush, no close
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, p.exitValue(), "killed by SIGKILL");
        } finally {
            p.destroyForcibly();
        }
        CrawlOutput.Contents held = CrawlOutput.read(out);
        int h = held.records().size();
        assertTrue(h >= 120 && h < PAGES, h + " records held");

        long requestsBefore = settledRequestTotal();
        Outcome resumed = railyard(crawlArgs(out, "--resume").toArray(String[]::new)); // the file's own format, without --format
        assertEquals(0, resumed.code(), resumed.err());
        assertTrue(resumed.err().contains("it holds " + h + " URLs"), resumed.err());
        long fetched = server.stats().requests().total() - requestsBefore;
        assertEquals(PAGES - h + 1, fetched, "only what the file did not hold was fetched (and robots.txt)");

        List<String> lines = Files.readAllLines(out);
        assertEquals(lines.size(), new HashSet<>(lines).size(), "no duplicate line");
        assertTrue(Files.readString(out).endsWith("\n"), "no torn last line");
        assertEquals(0, CrawlOutput.read(out).tailBytes());
        assertEquals(CrawlOutput.Format.of(format), CrawlOutput.read(out).format());
        if (format.equals("tsv")) assertEquals(sortedLines(reference), sortedLines(out), "the same lines as the uninterrupted crawl");
        else assertEquals(sortedRecords(reference), sortedRecords(out), "the same records as the uninterrupted crawl (fetch times differ)");
        SiteCheck check = SiteCheck.of(out, server.site(), server.origin(), true);
        assertTrue(check.ok(), check.describe());
    }

    /**
     * Ctrl-C and {@code kill} take the same path (the JVM's shutdown hooks). SIGTERM is sent rather
     * than SIGINT because a shell that starts the build without job control makes its background
     * children ignore SIGINT, and a JVM keeps an ignored SIGINT ignored.
     */
    @Test
    void aStopSignalEndsTheCrawlWithWholePagesAndTheSummary() throws Exception {
        Path out = dir.resolve("interrupted.tsv");
        Path log = dir.resolve("interrupted.log");
        Process p = crawlProcess(out, log);
        try {
            awaitPages(p, out, 60, log);
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "stopped after the signal");
        } finally {
            p.destroyForcibly();
        }
        String printed = Files.readString(log);
        assertEquals(128 + 15, p.exitValue(), printed);
        assertTrue(printed.contains("STOPPED by a signal"), printed);
        assertTrue(printed.contains("--resume"), printed);
        CrawlOutput.Contents c = CrawlOutput.read(out);
        assertEquals(0, c.tailBytes(), "only whole pages in the file");
        assertTrue(c.records().size() >= 60 && c.records().size() < PAGES, c.records().size() + " records");
    }

    @Test
    void badInputIsOneLineWithExitCode2AndNothingIsFetched() throws Exception {
        Path existing = dir.resolve("existing.tsv");
        Files.writeString(existing, "something\n");
        Path foreign = dir.resolve("foreign.tsv");
        Files.writeString(foreign, "not a crawl\n");
        long before = server.stats().requests().total();
        String[][] cases = {
                {"crawl", "--out", dir.resolve("a.tsv").toString()},
                {"crawl", "htp:/nope", "--out", dir.resolve("b.tsv").toString()},
                {"crawl", root()},
                {"crawl", root(), "--out", dir.resolve("no-such-dir").resolve("c.tsv").toString()},
                {"crawl", root(), "--out", dir.toString()},
                {"crawl", root(), "--out", existing.toString()},
                {"crawl", root(), "--out", foreign.toString(), "--resume"},
                {"crawl", root(), "--out", dir.resolve("d.tsv").toString(), "--depth", "-1"},
                {"crawl", root(), "--out", dir.resolve("e.tsv").toString(), "--depth", "deep"},
                {"crawl", root(), "--out", dir.resolve("f.tsv").toString(), "--model", "nope"},
                {"crawl", root(), "--out", dir.resolve("g.tsv").toString(), "-c", "0"},
                {"crawl", root(), "--out", dir.resolve("h.tsv").toString(), "--urls-file", dir.resolve("missing.txt").toString()},
                {"crawl", root(), "--out", dir.resolve("i.tsv").toString(), "--resume", "--overwrite"},
                {"crawl", "--demo", "--out", dir.resolve("j.tsv").toString(), "--resume"},
                {"crawl", root(), "--out", dir.resolve("k.tsv").toString(), "--format", "xml"},
                {"crawl", root(), "--out", dir.resolve("l.tsv").toString(), "--same-host", "--same-domain"},
                {"crawl", root(), "--out", dir.resolve("m.tsv").toString(), "--proxy", "http://p:1", "--no-proxy"},
                {"crawl", root(), "--out", dir.resolve("n.tsv").toString(), "--proxy", "socks5://p:1080"},
                {"crawl", root(), "--out", dir.resolve("o.tsv").toString(), "--include", "[unclosed"},
                {"crawl", root(), "--out", dir.resolve("p.tsv").toString(), "--user-agent", " "},
                {"crawl", root(), "--out", dir.resolve("q.tsv").toString(), "--timeout-ms", "99999999999999"},
                {"crawl", root(), "--out", dir.resolve("r.tsv").toString(), "--delay-ms", "99999999999999"}};
        for (String[] args : cases) {
            Outcome o = railyard(args);
            assertEquals(2, o.code(), String.join(" ", args) + ": " + o.err());
            assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
            assertFalse(o.err().contains("Exception:") || o.err().contains("\tat "), o.err());
        }
        assertEquals("something\n", Files.readString(existing), "an existing output is left alone");
        assertEquals("not a crawl\n", Files.readString(foreign));
        assertEquals(before, server.stats().requests().total(), "nothing was fetched");
        Outcome unwritable = railyard("crawl", root(), "--out", dir.resolve("no-such-dir").resolve("c.tsv").toString());
        assertTrue(unwritable.err().contains("cannot write --out"), unwritable.err());
    }

    @Test
    void aPoolThatRefusesTheUsersSettingsIsOneLineWithExitCode2() {
        // the budget is parsed and checked, but the autoscaled pool finds the tree already above it as it opens
        Outcome o = railyard("crawl", root(), "--out", dir.resolve("budget.tsv").toString(), "--autoscale", "--budget-memory", "32m");
        assertEquals(2, o.code(), o.err());
        assertEquals(1, o.err().strip().lines().count(), "one line, no stack trace: " + o.err());
        assertTrue(o.err().contains("already exceeded"), o.err());
        assertFalse(o.err().contains("Exception") || o.err().contains("\tat "), o.err());
    }

    /** A loopback port nothing listens on: connecting to it is refused. */
    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aMalformedUrlLineIsReportedWithItsNumberAndSkippedAndAnUnreachableHostIsAnError() throws Exception {
        int closedPort = closedPort();
        Path urls = dir.resolve("urls.txt");
        Files.writeString(urls, "# start here\n\nhtp:/typo\n" + root() + "\nhttp://127.0.0.1:" + closedPort + "/gone\n");
        Path out = dir.resolve("urls.tsv");
        Outcome o = railyard("crawl", "--urls-file", urls.toString(), "--out", out.toString(), "--depth", "0", "--retries", "1",
                "--backoff-ms", "10");
        assertEquals(0, o.code(), o.err());
        assertTrue(o.err().contains(urls + ":3: 'htp:/typo' is not an http(s) URL; skipped"), o.err());
        assertTrue(o.out().contains("errors   1 (connect 1)"), o.out());
        assertTrue(o.out().contains("1 HTML pages"), o.out());
        assertEquals(1, records(out, "#page"));
        assertEquals(1, records(out, "#error"));
    }

    @Test
    void aCrawlWhoseStartUrlCannotBeReachedExitsWith1AndBlamesTheRetriesNotTheDelay() throws Exception {
        int closedPort = closedPort();
        Path out = dir.resolve("unreachable.tsv");
        Outcome o = railyard("crawl", "http://127.0.0.1:" + closedPort + "/", "--out", out.toString(), "--retries", "2",
                "--backoff-ms", "200");
        assertEquals(1, o.code(), o.out() + o.err());
        assertTrue(o.out().contains("result   nothing fetched: every start URL ended as an error (connect 1)"), o.out());
        assertTrue(o.out().contains("waiting to retry held the crawl"), o.out());
        assertFalse(o.out().contains("the delay between fetches"), o.out());
        assertEquals(1, records(out, "#error"));
    }

    @Test
    void aCrawlThatFetchedNothingThroughAProxyBlamesTheProxyFirst() throws Exception {
        int closedPort = closedPort();
        Path out = dir.resolve("proxied.tsv");
        Outcome o = railyard("crawl", "http://site.invalid/", "--proxy", "http://127.0.0.1:" + closedPort, "--out", out.toString(),
                "--retries", "0");
        assertEquals(1, o.code(), o.out() + o.err());
        assertTrue(o.out().contains("result   nothing fetched: every start URL ended as an error"), o.out());
        assertTrue(o.out().contains("through the proxy 127.0.0.1:" + closedPort + ": check the proxy"), o.out());
    }

    @Test
    void theDemoCrawlsTheGeneratedSiteAndChecksEveryPage() throws Exception {
        Path out = dir.resolve("demo.tsv");
        Outcome o = railyard("crawl", "--demo", "--demo-pages", "300", "--demo-latency-ms", "5", "-c", "50", "--out", out.toString());
        assertEquals(0, o.code(), o.err() + o.out());
        assertTrue(o.out().contains("site check: all 300 reachable pages found, each once"), o.out());
        assertTrue(o.out().contains("demo limit"), o.out());
        assertTrue(o.out().contains("peak memory"), o.out());
    }

    @Test
    void theDemoWithoutOutLeavesNoTemporaryFileBehind() throws Exception {
        Outcome o = railyard("crawl", "--demo", "--demo-pages", "50", "--demo-latency-ms", "0", "-c", "10");
        assertEquals(0, o.code(), o.err() + o.out());
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("output   (\\S+) ").matcher(o.out());
        assertTrue(m.find(), o.out());
        assertFalse(Files.exists(Path.of(m.group(1))), "the demo's temporary output " + m.group(1) + " is removed: " + o.out());
        assertTrue(o.out().contains("give --out FILE to keep it"), o.out());
    }

    @Test
    void jsonPrintsOneObjectWithCountsByOutcomeAndHostAndTheLimitsThatBoundTheCrawl() throws Exception {
        Path out = dir.resolve("json.jsonl");
        Outcome o = railyard("crawl", root(), "--depth", "all", "--same-host", "-c", "32", "--per-host", "2", "--out", out.toString(),
                "--format", "jsonl", "--json", "--user-agent", "TestBot/1.0 (+http://example.invalid/bot)");
        assertEquals(0, o.code(), o.err());
        assertEquals(1, o.out().strip().lines().count(), "exactly one line on stdout: " + o.out());
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(o.out());
        assertEquals(PAGES, json.get("outcomes").get("pages").asLong());
        assertEquals(PAGES, json.get("hosts").get(server.origin()).get("pages").asLong());
        assertEquals("per-host", json.get("limits").get(0).get("limit").asText(), json.toString());
        assertTrue(json.get("limits").get(0).get("text").asText().endsWith("--per-host raises it"), json.toString());
        assertTrue(json.get("bytes").get("wire").asLong() > 0);
        assertTrue(o.err().contains("limit    the per-host cap (2) held concurrency at 2 of -c 32 on " + server.origin()), o.err());
        assertEquals(PAGES, records(out, "#page"));
    }

    /**
     * A page of a few MB that gzip-decodes to 1 GiB, crawled by a JVM whose heap is capped at 64 MiB:
     * the decoding stops at --max-page-bytes, so the crawl ends normally with the page truncated.
     */
    @ParameterizedTest
    @ValueSource(strings = {"loop", "threads"})
    void aGzipBombIsCutAtThePageCapInAJvmWithASmallHeap(String model) throws Exception {
        java.io.ByteArrayOutputStream gz = new java.io.ByteArrayOutputStream(2 << 20);
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(gz, 1 << 16)) {
            z.write("<!doctype html><html><body><a href=\"/next.html\">next</a>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            byte[] spaces = new byte[1 << 20];
            java.util.Arrays.fill(spaces, (byte) ' ');
            for (int i = 0; i < 1024; i++) z.write(spaces);
        }
        byte[] bomb = gz.toByteArray();
        com.sun.net.httpserver.HttpServer site = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        site.createContext("/", ex -> {
            boolean isBomb = ex.getRequestURI().getPath().equals("/bomb.html");
            byte[] body = isBomb ? bomb : "<html><body>ok</body></html>".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "text/html");
            if (isBomb) ex.getResponseHeaders().add("Content-Encoding", "gzip");
            ex.sendResponseHeaders(200, body.length);
            try (var os = ex.getResponseBody()) {
                os.write(body);
            }
        });
        site.start();
        try {
            Path out = dir.resolve("bomb-" + model + ".jsonl");
            Path log = dir.resolve("bomb-" + model + ".log");
            String url = "http://127.0.0.1:" + site.getAddress().getPort() + "/bomb.html";
            Process p = crawlProcess(List.of("-Xmx64m"), List.of("crawl", url, "--out", out.toString(), "--format", "jsonl",
                    "--model", model, "--max-page-bytes", String.valueOf(4 << 20), "--ignore-robots"), log);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the crawl ended");
            String printed = Files.readString(log);
            assertEquals(0, p.exitValue(), printed);
            String line = Files.readAllLines(out).stream().filter(l -> l.contains("/bomb.html\",\"final_url\"")).findFirst().orElseThrow();
            assertTrue(line.contains("\"truncated\":true"), line);
            assertTrue(line.contains("\"decoded_bytes\":" + (4 << 20)), line);
            assertTrue(line.contains("\"wire_bytes\":" + bomb.length), line);
            assertTrue(printed.contains("1 cut at --max-page-bytes"), printed);
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("peak memory ([0-9.]+) MiB").matcher(printed);
            assertTrue(m.find(), printed);
            assertTrue(Double.parseDouble(m.group(1)) < 512, "peak RSS " + m.group(1) + " MiB for a 1 GiB bomb");
        } finally {
            site.stop(0);
        }
    }
}
