package io.railyard.bench.crawl;

import io.railyard.crawl.CrawlOptions;
import io.railyard.crawl.CrawlOutput;
import io.railyard.crawl.CrawlResult;
import io.railyard.crawl.Crawler;
import io.railyard.server.LatencyServer;
import io.railyard.server.ServerOptions;
import io.railyard.core.Models;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every model crawls the generated site: every reachable page exactly once, the link graph exactly. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class CrawlSiteTest {

    static final int PAGES = 400;
    static LatencyServer server;

    @BeforeAll
    static void start() {
        server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1).withSite(PAGES, 7).withSiteLatencyMs(5));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<String> models() {
        return Models.names().stream().filter(m -> !m.equals("cluster"));
    }

    @ParameterizedTest
    @MethodSource("models")
    void everyPageOnceAndTheLinkGraphExactly(String model, @TempDir Path dir) throws Exception {
        Path out = dir.resolve("crawl.tsv");
        int c = model.equals("processes") ? 4 : 24; // a worker JVM per unit of concurrency on a 2-core machine
        CrawlOptions options = CrawlOptions.defaults(List.of(server.origin() + "/site/")).withConcurrency(c)
                .withPerHost(c).withMaxDepth(Integer.MAX_VALUE);
        CrawlResult r;
        try (TaskPool pool = Models.open(model, PoolSpec.of(c)); CrawlOutput output = CrawlOutput.create(out)) {
            r = new Crawler(pool, options, output, null).run(List.of());
        }
        SiteCheck check = SiteCheck.of(out, server.site(), server.origin(), true);
        assertTrue(check.ok(), model + ": " + check.describe() + " " + r);
        assertEquals("done", r.end());
        assertEquals(PAGES, r.pages());
        assertEquals(0, r.errorCount(), r.errors().toString());
        assertTrue(r.disallowed() > 0, "private pages are linked and disallowed");
    }
}
