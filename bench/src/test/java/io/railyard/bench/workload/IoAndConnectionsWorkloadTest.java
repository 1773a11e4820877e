package io.railyard.bench.workload;

import io.railyard.bench.harness.Harness;
import io.railyard.bench.harness.RunResult;
import io.railyard.server.LatencyServer;
import io.railyard.server.ServerOptions;
import io.railyard.core.threads.ThreadsPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The io and connections workloads, blocking and asynchronous forms, through the real harness and a server process. */
class IoAndConnectionsWorkloadTest {

    @ParameterizedTest
    @ValueSource(strings = {"threads", "virtual", "loop"})
    void ioRunsAgainstItsOwnServerProcess(String model) throws Exception {
        try (IoWorkload work = new IoWorkload(400, 20, null)) {
            RunResult r = new Harness(Map.of(), Harness.Listener.NONE).run(work, model, 50, 0, 1);
            assertEquals(400, r.ok());
            assertEquals(0, r.failed());
            assertEquals(8 * 0.020, r.limitS(), 1e-9);
            assertTrue(r.wallS() >= r.limitS(), "no run beats the physical limit");
            assertTrue(work.target().contains("/delay/20"));
        }
    }

    @Test
    void ioAimsAtAnyUrlAndCountsFailures() throws Exception {
        try (LatencyServer s = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1));
             IoWorkload ok = new IoWorkload(100, 10, s.origin() + "/delay/10");
             IoWorkload failing = new IoWorkload(30, 10, s.origin() + "/status/503")) {
            RunResult r = new Harness(Map.of(), Harness.Listener.NONE).run(ok, "virtual", 20, 0, 1);
            assertEquals(100, r.ok());
            assertEquals(100, s.stats().requests().total());
            assertTrue(s.stats().requests().peak() <= 20, "at most C in flight, saw " + s.stats().requests().peak());
            RunResult bad = new Harness(Map.of(), Harness.Listener.NONE).run(failing, "threads", 5, 0, 1);
            assertEquals(30, bad.failed());
        }
        assertThrows(IllegalArgumentException.class, () -> new IoWorkload(10, 10, "not a url"));
        for (String badPort : new String[] {"http://127.0.0.1:99999/", "http://127.0.0.1:0/"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new IoWorkload(10, 10, badPort));
            assertTrue(e.getMessage().contains("give a port of 1..65535"), e.getMessage());
        }
        try (LatencyServer s = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1));
             IoWorkload upper = new IoWorkload(20, 10, s.origin().replace("http://", "HTTP://") + "/delay/10")) {
            for (String model : new String[] {"loop", "threads"})
                assertEquals(20, new Harness(Map.of(), Harness.Listener.NONE).run(upper, model, 5, 0, 1).ok(), "a scheme in capitals on " + model);
        }
        try (LatencyServer s = LatencyServer.start(ServerOptions.defaults().withEchoPort(-1));
             IoWorkload failing = new IoWorkload(30, 10, s.origin() + "/status/503")) {
            RunResult bad = new Harness(Map.of(), Harness.Listener.NONE).run(failing, "loop", 5, 0, 1);
            assertEquals(30, bad.failed(), "the asynchronous form fails on a non-2xx status too");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"virtual", "loop"})
    void connectionsHoldsCAndReportsMemoryPerConnection(String model) throws Exception {
        try (ConnectionsWorkload work = new ConnectionsWorkload(500, 2, 50, 60)) {
            RunResult r = new Harness(Map.of(), Harness.Listener.NONE).run(work, model, 500, 0, 1);
            assertEquals(500, r.ok(), () -> "first failure: " + work.parameters().get("first_failure"));
            assertEquals(0, r.failed());
            assertEquals(0.1, r.limitS(), 1e-9);
            long perConnection = ((Number) work.parameters().get("rss_per_connection_bytes")).longValue();
            assertTrue(perConnection >= 0 && perConnection < 1_000_000, "bytes per held connection: " + perConnection);
        }
    }

    @Test
    void aRunStoppedWhileConnectionsAreQueuedCountsThemByReason() throws Exception {
        // a run stopped by Ctrl-C: its pool shut down while one connection waits for the others and two are queued
        try (ConnectionsWorkload work = new ConnectionsWorkload(3, 1, 10, 60); ThreadsPool one = new ThreadsPool(1)) {
            work.prepare(); // its echo server started: the connections are submitted at once
            Thread stopper = Thread.ofVirtual().start(() -> {
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    return;
                }
                one.shutdownNow();
            });
            Workload.Tally t = work.runOnce(one, Workload.Progress.NONE); // not a CancellationException, nor IllegalState
            assertEquals(3, t.failed(), t.toString());
            assertEquals(Map.of("cancelled", 3L), t.failures(), "every failure with its reason: " + t);
            stopper.join();
        }
    }

    @Test
    void aModelThatCannotHoldCFailsClearlyAtTheDeadline() throws Exception {
        try (ConnectionsWorkload work = new ConnectionsWorkload(40, 2, 10, 2);
             ThreadsPool tooFew = new ThreadsPool(10)) {
            long t0 = System.nanoTime();
            WorkloadFailedException e = assertThrows(WorkloadFailedException.class, () -> work.runOnce(tooFew, Workload.Progress.NONE));
            assertTrue(e.getMessage().contains("could not hold 40 connections"), e.getMessage());
            assertTrue(System.nanoTime() - t0 < 30_000_000_000L, "no hang");
        }
    }
}
