package io.railyard.crawl;

import io.railyard.core.Models;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.core.hostile.HostileHttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A crawl on a blocking model against a server that drips its answer one byte at a time: each fetch
 * ends at the crawl's fetch timeout, its worker let go, so the crawl ends with the fetch as a timeout
 * instead of waiting for the server (the pool's task timeout alone only interrupts a read that ignores it).
 */
class BlockingFetchDeadlineTest {

    @TempDir
    Path dir;

    @Test
    void aDrippingServerCannotHoldABlockingCrawlPastItsFetchTimeout() throws Exception {
        try (HostileHttpServer server = new HostileHttpServer()) {
            // a body of 100 MB at one byte every 50 ms: the server would take two months
            String seed = Urls.normalize(server.url("/drip/100000000?every=50"));
            CrawlOptions options = CrawlOptions.defaults(List.of(seed)).withRespectRobots(false).withRetries(0, 0)
                    .withFetchTimeout(Duration.ofMillis(800));
            Path out = dir.resolve("drip.tsv");
            CrawlResult r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                try (TaskPool pool = Models.open("threads", PoolSpec.of(2)); CrawlOutput output = CrawlOutput.create(out)) {
                    return new Crawler(pool, options, output, null).run(List.of());
                }
            }, "the crawl waited for a server that drips its answer");
            assertEquals(1, r.errorCount(), r.errors().toString());
            assertTrue(r.errors().containsKey("timeout"), r.errors().toString());
            assertTrue(Files.readString(out).contains("#error\t" + seed + "\ttimeout"), Files.readString(out));
        }
    }
}
