package io.railyard.bench.http;

import io.railyard.server.LatencyServer;
import io.railyard.server.ServerOptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The blocking echo client: rounds through the barrier, and a clear failure when C are not held. */
class EchoClientTest {

    @Test
    void allConnectionsHeldAtOnceDoTheirRounds() throws Exception {
        int c = 300;
        try (LatencyServer s = LatencyServer.start(ServerOptions.defaults().withEchoBarrier(c));
             ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            long deadline = System.currentTimeMillis() + 30_000;
            List<Future<Long>> fs = new ArrayList<>();
            for (int i = 0; i < c; i++) {
                int id = i;
                fs.add(threads.submit(() -> EchoClient.hold("127.0.0.1", s.echoPort(), id, 3, 10, c, deadline)));
            }
            for (Future<Long> f : fs) assertTrue(f.get() > 0);
            assertEquals(c, s.stats().echoConnections().peak());
        }
    }

    @Test
    void fewerConnectionsThanTheBarrierFailAtTheDeadlineNotLater() throws Exception {
        try (LatencyServer s = LatencyServer.start(ServerOptions.defaults().withEchoBarrier(50));
             ExecutorService threads = Executors.newFixedThreadPool(10)) {
            long t0 = System.nanoTime();
            long deadline = System.currentTimeMillis() + 1000;
            List<Future<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int id = i;
                fs.add(threads.submit(() -> EchoClient.hold("127.0.0.1", s.echoPort(), id, 3, 10, 50, deadline)));
            }
            for (Future<Long> f : fs) {
                ExecutionException e = assertThrows(ExecutionException.class, f::get);
                assertInstanceOf(EchoClient.HoldFailedException.class, e.getCause());
                assertTrue(e.getCause().getMessage().contains("could not hold 50 connections"), e.getCause().getMessage());
            }
            assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "failed at the deadline, not after a hang");
        }
    }
}
