package io.railyard.cli;

import io.railyard.bench.examples.ClusterExample;
import io.railyard.core.Models;
import io.railyard.server.LatencyServer;
import io.railyard.server.ServerOptions;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The cluster's example job (shown in compare's report, Code Complexity) run on an embedded
 * member: bench, where the example lives, has no cluster model on its class path; this module has.
 */
class ClusterExampleTest {

    @Test
    void theClusterExampleAddsUpEveryBody() throws Exception {
        assertTrue(Models.names().contains("cluster"), "the cli module carries the cluster model");
        try (LatencyServer server = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1))) {
            String url = server.origin() + "/delay/5";
            long one;
            try (InputStream in = URI.create(url).toURL().openStream()) {
                one = in.readAllBytes().length;
            }
            assertEquals(8 * one, ClusterExample.run(url, 8, 4));
        }
    }
}
