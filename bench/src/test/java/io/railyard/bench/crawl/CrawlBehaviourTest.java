package io.railyard.bench.crawl;

import io.railyard.crawl.CrawlOptions;
import io.railyard.crawl.CrawlOutput;
import io.railyard.crawl.CrawlResult;
import io.railyard.crawl.Crawler;
import io.railyard.crawl.FetchSettings;
import io.railyard.server.LatencyServer;
import io.railyard.server.ServerOptions;
import io.railyard.server.SiteGraph;
import io.railyard.core.Models;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Politeness and robustness against the real latency server: robots.txt, the per-host cap (read
 * from the server's own gauge of concurrent requests), retries on 429 and 503, depth, the page
 * budget, redirects, non-HTML answers, unreachable hosts, truncation.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrawlBehaviourTest {

    @TempDir
    Path dir;

    private static CrawlOptions site(LatencyServer server) {
        return CrawlOptions.defaults(List.of(server.origin() + "/site/")).withConcurrency(32).withPerHost(32)
                .withMaxDepth(Integer.MAX_VALUE).withRetries(3, 5);
    }

    private record Run(CrawlResult result, CrawlOutput.Contents contents, Path out) {
        Map<String, CrawlOutput.Record> byUrl() {
            Map<String, CrawlOutput.Record> m = new HashMap<>();
            for (CrawlOutput.Record r : contents.records()) m.put(r.url(), r);
            return m;
        }

        Set<String> pages() {
            return contents.records().stream().filter(r -> r instanceof CrawlOutput.Record.Page).map(CrawlOutput.Record::url)
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    private Run crawl(String model, CrawlOptions options) throws Exception {
        Path out = dir.resolve("crawl-" + System.nanoTime() + ".tsv");
        CrawlResult r;
        try (TaskPool pool = Models.open(model, PoolSpec.of(options.concurrency())); CrawlOutput output = CrawlOutput.create(out)) {
            r = new Crawler(pool, options, output, null).run(List.of());
        }
        return new Run(r, CrawlOutput.read(out), out);
    }

    @Test
    void robotsTxtKeepsThePrivateFolderOutAndIgnoringItLetsItIn() throws Exception {
        try (LatencyServer server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1).withSite(200, 3))) {
            Run polite = crawl("loop", site(server));
            assertTrue(polite.pages().stream().noneMatch(u -> u.contains(SiteGraph.PRIVATE_DIR)), "no private page fetched");
            long privateLinked = server.site().linkSets(server.origin(), true).values().stream().flatMap(Set::stream)
                    .filter(u -> u.contains(SiteGraph.PRIVATE_DIR)).distinct().count();
            assertEquals(privateLinked, polite.result().disallowed());
            assertTrue(privateLinked > 0);

            Path out = dir.resolve("impolite.tsv");
            try (TaskPool pool = Models.open("loop", PoolSpec.of(32)); CrawlOutput output = CrawlOutput.create(out)) {
                new Crawler(pool, site(server).withRespectRobots(false), output, null).run(List.of());
            }
            SiteCheck all = SiteCheck.of(out, server.site(), server.origin(), false);
            assertTrue(all.ok(), all.describe());
            assertTrue(all.expectedPages() > polite.pages().size());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"loop", "virtual"})
    void theServerNeverSeesMoreThanThePerHostCapFromTheCrawler(String model) throws Exception {
        try (LatencyServer server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1).withSite(150, 5).withSiteLatencyMs(20))) {
            server.resetPeaks();
            Run r = crawl(model, site(server).withConcurrency(64).withPerHost(4));
            assertEquals(150, r.result().pages());
            int peak = server.stats().byClient().get("127.0.0.1").requests().peak();
            assertTrue(peak <= 4, "the server saw " + peak + " requests at once from the crawler, the cap is 4");
            assertTrue(peak >= 2, "the crawl was concurrent (peak " + peak + ")");
        }
    }

    @Test
    void fourTwentyNinesAreRetriedWithBackoffAndABoundedNumberOfTimes() throws Exception {
        try (LatencyServer server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1).withSite(120, 2).withSiteFailures(2, 429))) {
            Run r = crawl("loop", site(server));
            SiteCheck check = SiteCheck.of(r.out(), server.site(), server.origin(), true);
            assertTrue(check.ok(), check.describe());
            assertEquals(120, r.result().pages(), r.result().toString());
            assertEquals(2L * 120, r.result().retries(), "each page failed twice, then passed");
            assertEquals(0, r.result().errorCount());
        }
        try (LatencyServer server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1).withSite(120, 2).withSiteFailures(3, 429))) {
            Run r = crawl("virtual", site(server).withRetries(2, 5));
            assertEquals(0, r.result().pages());
            assertEquals(Map.of("http-429", 1L), r.result().errors(), "the root gave up after 1 + 2 tries; nothing else was found");
            assertEquals(2, r.result().retries());
            assertEquals("http-429", ((CrawlOutput.Record.Error) r.contents().records().getFirst()).kind());
        }
    }

    @Test
    void serverErrorsAreRetriedToo() throws Exception {
        try (LatencyServer server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1).withSite(60, 2).withSiteFailures(1, 503))) {
            Run r = crawl("threads", site(server));
            assertEquals(60, r.result().pages());
            assertEquals(60, r.result().retries());
        }
    }

    @Test
    void depthLimitFetchesExactlyThePagesWithinItWhateverTheOrder() throws Exception {
        try (LatencyServer server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1).withSite(600, 11))) {
            for (int depth : new int[] {0, 1, 2}) {
                Run r = crawl("loop", site(server).withMaxDepth(depth).withConcurrency(64).withPerHost(64));
                Set<String> expected = server.site().depths(true).entrySet().stream().filter(e -> e.getValue() <= depth)
                        .map(e -> server.origin() + e.getKey()).collect(Collectors.toCollection(TreeSet::new));
                assertEquals(expected, r.pages(), "depth " + depth);
                Map<String, Set<String>> graph = server.site().linkSets(server.origin(), true);
                for (CrawlOutput.Record rec : r.contents().records())
                    assertEquals(graph.get(rec.url()), Set.copyOf(((CrawlOutput.Record.Page) rec).links()), rec.url());
                assertTrue(r.result().tooDeep() > 0);
            }
        }
    }

    @Test
    void maxPagesStopsAtExactlyThatMany() throws Exception {
        try (LatencyServer server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1).withSite(400, 4))) {
            Run r = crawl("loop", site(server).withMaxPages(57));
            assertEquals(57, r.contents().records().size());
            assertEquals("max-pages", r.result().end());
        }
    }

    @Test
    void redirectsAreFollowedBoundedAndNonHtmlIsSkipped() throws Exception {
        try (LatencyServer server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1).withSite(10, 1))) {
            String o = server.origin();
            Run r = crawl("loop", CrawlOptions.defaults(List.of(o + "/redirect/3", o + "/bytes/100")).withMaxDepth(3));
            Map<String, CrawlOutput.Record> recs = r.byUrl();
            assertEquals(new CrawlOutput.Record.Redirect(o + "/redirect/3", 302, o + "/redirect/2"), recs.get(o + "/redirect/3"));
            assertTrue(recs.get(o + "/redirect/1") instanceof CrawlOutput.Record.Redirect);
            assertTrue(recs.get(o + "/redirect/0") instanceof CrawlOutput.Record.Skip, "text/plain is not HTML");
            assertTrue(recs.get(o + "/bytes/100") instanceof CrawlOutput.Record.Skip);
            assertEquals(3, r.result().redirects());

            Run bounded = crawl("threads", CrawlOptions.defaults(List.of(o + "/redirect/9")).withMaxDepth(3)
                    .withFetch(FetchSettings.defaults()).withConcurrency(4));
            CrawlOutput.Record last = bounded.contents().records().getLast();
            assertEquals(new CrawlOutput.Record.Error(o + "/redirect/4", "too-many-redirects", "5 redirects in a row, the last to " + o + "/redirect/3"), last);
        }
    }

    @Test
    void anUnreachableHostIsAnErrorAndTheCrawlGoesOn() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        try (LatencyServer server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1).withSite(50, 1))) {
            String dead = "http://127.0.0.1:" + closedPort + "/";
            for (String model : List.of("loop", "threads")) {
                Run r = crawl(model, CrawlOptions.defaults(List.of(dead, dead + "other", server.origin() + "/site/"))
                        .withMaxDepth(Integer.MAX_VALUE).withRetries(1, 5).withPerHost(8));
                assertEquals(50, r.result().pages(), model);
                assertEquals(Map.of("connect", 2L), r.result().errors(), model);
                CrawlOutput.Record.Error e = (CrawlOutput.Record.Error) r.byUrl().get(dead);
                assertTrue(e.detail().contains("robots.txt"), e.detail());
                assertEquals(1, r.result().retries(), model + ": robots.txt tried twice, the pages not at all");
            }
        }
    }

    @Test
    void aFetchOverItsTimeoutIsATimeoutErrorAndTheCrawlGoesOn() throws Exception {
        try (LatencyServer server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1).withSite(10, 1))) {
            for (String model : List.of("loop", "virtual")) {
                Run r = crawl(model, CrawlOptions.defaults(List.of(server.origin() + "/delay/3000", server.origin() + "/site/"))
                        .withMaxDepth(Integer.MAX_VALUE).withRetries(1, 5).withFetchTimeout(java.time.Duration.ofMillis(300)));
                assertEquals(Map.of("timeout", 1L), r.result().errors(), model);
                assertEquals(1, r.result().retries(), model);
                assertEquals(10, r.result().pages(), model);
            }
        }
    }

    @Test
    void pagesOverTheCapAreCutAndParsedAsFarAsTheyGo() throws Exception {
        try (LatencyServer server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1).withSite(30, 1))) {
            for (String model : List.of("loop", "virtual")) {
                Run r = crawl(model, site(server).withMaxDepth(0).withFetch(FetchSettings.defaults().withMaxPageBytes(1200)));
                CrawlOutput.Record.Page root = (CrawlOutput.Record.Page) r.contents().records().getFirst();
                assertTrue(root.truncated(), model);
                Set<String> all = server.site().linkSets(server.origin(), true).get(server.origin() + "/site/");
                assertTrue(all.containsAll(root.links()), model);
                assertTrue(root.links().size() < all.size(), model + ": " + root.links().size() + " of " + all.size());
                assertFalse(root.links().isEmpty(), model);
            }
        }
    }

    @Test
    void theDelaySpacesFetchesToOneHost() throws Exception {
        try (LatencyServer server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1).withSite(20, 1))) {
            long t0 = System.nanoTime();
            Run r = crawl("loop", site(server).withDelayMs(25));
            double seconds = (System.nanoTime() - t0) / 1e9;
            assertEquals(20, r.result().pages());
            assertTrue(seconds >= 20 * 0.025, "21 fetches (robots.txt too) 25 ms apart took " + seconds + " s");
        }
    }
}
