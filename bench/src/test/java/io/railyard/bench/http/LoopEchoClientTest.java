package io.railyard.bench.http;

import io.railyard.core.TaskFuture;
import io.railyard.loop.LoopPool;
import io.railyard.server.LatencyServer;
import io.railyard.server.ServerOptions;
import org.junit.jupiter.api.Test;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loop's echo client against real servers: every round echoed through the barrier, the
 * deadline's clear failure when C are not held, and a peer that closes mid-round.
 */
class LoopEchoClientTest {

    @Test
    void allConnectionsHeldAtOnceDoEveryRound() throws Exception {
        int c = 200, rounds = 3;
        try (LatencyServer s = LatencyServer.start(ServerOptions.defaults().withEchoBarrier(c));
             LoopPool pool = new LoopPool(c)) {
            long deadline = System.currentTimeMillis() + 30_000;
            List<TaskFuture<Long>> fs = new ArrayList<>();
            for (int i = 0; i < c; i++) {
                int id = i;
                fs.add(pool.submitAsync(ctx -> LoopEchoClient.hold(ctx, "127.0.0.1", s.echoPort(), id, rounds, 10, c, deadline)));
            }
            for (int i = 0; i < c; i++) {
                long expected = 0;
                for (int r = 0; r < rounds; r++) expected += ("connection " + i + " round " + r + "\n").length();
                assertEquals(expected, fs.get(i).get(30, TimeUnit.SECONDS), "bytes echoed on connection " + i);
            }
            assertEquals(c, s.stats().echoConnections().peak());
        }
    }

    @Test
    void fewerConnectionsThanTheBarrierFailAtTheDeadline() throws Exception {
        try (LatencyServer s = LatencyServer.start(ServerOptions.defaults().withEchoBarrier(50));
             LoopPool pool = new LoopPool(10)) {
            long t0 = System.nanoTime();
            long deadline = System.currentTimeMillis() + 1000;
            List<TaskFuture<Long>> fs = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                int id = i;
                fs.add(pool.submitAsync(ctx -> LoopEchoClient.hold(ctx, "127.0.0.1", s.echoPort(), id, 3, 10, 50, deadline)));
            }
            for (TaskFuture<Long> f : fs) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
                assertInstanceOf(EchoClient.HoldFailedException.class, e.getCause());
                assertTrue(e.getCause().getMessage().contains("could not hold 50 connections"), e.getCause().getMessage());
            }
            assertTrue(System.nanoTime() - t0 < 20_000_000_000L, "failed at the deadline, not after a hang");
        }
    }

    @Test
    void aPeerClosingBeforeTheEchoFailsTheConnection() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             LoopPool pool = new LoopPool(1)) {
            Thread peer = Thread.ofPlatform().daemon().start(() -> {
                try (Socket s = server.accept()) {
                    InputStream in = s.getInputStream();
                    in.read(new byte[64]); // the first line, then close without echoing it
                } catch (IOException ignored) {
                    // the test fails on the client's side if the peer could not play its part
                }
            });
            long deadline = System.currentTimeMillis() + 30_000;
            TaskFuture<Long> f = pool.submitAsync(ctx -> LoopEchoClient.hold(ctx, "127.0.0.1", server.getLocalPort(), 7, 3, 10, 1, deadline));
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(30, TimeUnit.SECONDS));
            assertInstanceOf(EOFException.class, e.getCause(), () -> "failed with " + e.getCause());
            peer.join(5_000);
        }
    }
}
