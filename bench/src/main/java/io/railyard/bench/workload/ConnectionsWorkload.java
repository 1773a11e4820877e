package io.railyard.bench.workload;

import io.railyard.bench.http.EchoClient;
import io.railyard.bench.server.ServerOptions;
import io.railyard.bench.server.ServerProcess;
import io.railyard.core.BlockingTask;
import io.railyard.core.TaskFuture;
import io.railyard.core.TaskPool;
import io.railyard.core.probe.ProcessTreeProbe;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The seed's "thousands of connections" case: hold C connections open at once, each doing R echo
 * rounds, each followed by a pause P. The limit is {@code R * P}: the pauses alone. Reports
 * the memory each held connection costs: (peak RSS of the process tree during the run - RSS before
 * it) / C.
 *
 * <p>The server (started in a detached JVM, so its memory and open files are not the client's)
 * answers no echo until C echo connections are open together, so "at once" is checked by the
 * server itself, the same for every model. A model that cannot hold C (fewer threads than C, or
 * threads that cannot be created) gets no echo and fails at a deadline ({@code holdTimeoutS}
 * after the run starts) with {@link EchoClient.HoldFailedException}: a clear failure, not a hang.
 *
 * <p>Blocking form ({@link Hold}) for {@code threads}, {@code virtual} and {@code processes}; the
 * {@code loop} model needs the asynchronous form. Not thread-safe: one harness thread.
 */
public final class ConnectionsWorkload implements Workload {

    /** One connection's life; a named record so worker processes can allow-list it. */
    public record Hold(String host, int port, int id, int rounds, int pauseMs, int connections, long deadlineMillis)
            implements BlockingTask<Long> {
        @Override
        public Long call() throws Exception {
            return EchoClient.hold(host, port, id, rounds, pauseMs, connections, deadlineMillis);
        }
    }

    private final int connections;
    private final int rounds;
    private final int pauseMs;
    private final int holdTimeoutS;
    private ServerProcess server;
    private long lastBaselineRss = -1;
    private long lastPeakRss = -1;

    public ConnectionsWorkload(int connections, int rounds, int pauseMs, int holdTimeoutS) {
        if (connections < 1) throw new IllegalArgumentException("-c must be a positive number, was " + connections);
        if (rounds < 1) throw new IllegalArgumentException("--rounds must be a positive number, was " + rounds);
        if (pauseMs < 1) throw new IllegalArgumentException("--pause-ms must be a positive number, was " + pauseMs);
        if (holdTimeoutS < 1) throw new IllegalArgumentException("--hold-timeout-s must be a positive number, was " + holdTimeoutS);
        this.connections = connections;
        this.rounds = rounds;
        this.pauseMs = pauseMs;
        this.holdTimeoutS = holdTimeoutS;
    }

    @Override
    public String name() {
        return "connections";
    }

    @Override
    public long tasks() {
        return connections;
    }

    @Override
    public double limitSeconds(int concurrency) {
        return rounds * (double) pauseMs / 1000.0;
    }

    @Override
    public boolean supports(String model) {
        return !model.equals("loop");
    }

    @Override
    public String unsupportedReason(String model) {
        return "connections on " + model + " needs the asynchronous form (the loop's non-blocking TCP); this build has only the blocking form";
    }

    private ServerProcess server() {
        if (server == null) server = ServerProcess.start(ServerOptions.defaults().withEchoBarrier(connections));
        return server;
    }

    @Override
    public Tally runOnce(TaskPool pool, Progress progress) throws InterruptedException {
        ServerProcess s = server();
        long baseline = ProcessTreeProbe.rssBytes();
        long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(holdTimeoutS);
        AtomicLong done = new AtomicLong(), failed = new AtomicLong();
        List<TaskFuture<Long>> fs = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            TaskFuture<Long> f = pool.submit(new Hold("127.0.0.1", s.echoPort(), i, rounds, pauseMs, connections, deadline));
            f.whenComplete((v, e) -> {
                if (e == null) done.incrementAndGet();
                else failed.incrementAndGet();
                progress.taskDone(done.get(), failed.get());
            });
            fs.add(f);
        }
        // the harness samples the whole run; this samples too, to relate the peak to the connections held
        long peak = baseline;
        for (TaskFuture<Long> f : fs) {
            while (!f.isDone()) {
                peak = Math.max(peak, ProcessTreeProbe.rssBytes());
                try {
                    f.get(20, TimeUnit.MILLISECONDS);
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    // failures are counted above; timeouts just mean: sample again
                }
            }
        }
        lastBaselineRss = baseline;
        lastPeakRss = Math.max(peak, ProcessTreeProbe.rssBytes());
        Throwable first = fs.stream().filter(TaskFuture::isCompletedExceptionally).findFirst()
                .map(f -> f.exceptionNow()).orElse(null);
        if (first != null && failed.get() == connections && first instanceof EchoClient.HoldFailedException) {
            // every connection failed the same clear way: say it once, like the CLI's other errors
            throw new WorkloadFailedException(first.getMessage());
        }
        return new Tally(done.get(), failed.get());
    }

    @Override
    public Map<String, Object> parameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("connections", connections);
        p.put("rounds", rounds);
        p.put("pause_ms", pauseMs);
        p.put("hold_timeout_s", holdTimeoutS);
        p.put("rss_before_bytes", lastBaselineRss);
        p.put("rss_peak_bytes", lastPeakRss);
        p.put("rss_per_connection_bytes", lastPeakRss < 0 ? -1 : (lastPeakRss - lastBaselineRss) / connections);
        p.put("client", "java.net.Socket (blocking)");
        return p;
    }

    @Override
    public void close() {
        if (server != null) server.close();
        server = null;
    }
}
