package io.railyard.bench.workload;

import io.railyard.bench.http.EchoClient;
import io.railyard.bench.http.LoopEchoClient;
import io.railyard.server.ServerOptions;
import io.railyard.server.ServerProcess;
import io.railyard.core.AsyncTask;
import io.railyard.core.BlockingTask;
import io.railyard.core.SingleEventLoop;
import io.railyard.core.TaskContext;
import io.railyard.core.TaskFuture;
import io.railyard.core.TaskPool;
import io.railyard.core.probe.ProcessTreeProbe;
import io.railyard.loop.LoopPool;
import io.railyard.loop.LoopReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
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
 * <p>Blocking form ({@link Hold}) for {@code threads}, {@code virtual} and {@code processes};
 * asynchronous form ({@link AsyncHold}, on the loop's non-blocking TCP) for {@code loop}. Not
 * thread-safe: one harness thread.
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

    /** One connection's life on the loop: the same rounds without a thread per connection. */
    public record AsyncHold(String host, int port, int id, int rounds, int pauseMs, int connections, long deadlineMillis)
            implements AsyncTask<Long> {
        @Override
        public CompletionStage<Long> start(TaskContext ctx) {
            return LoopEchoClient.hold(ctx, host, port, id, rounds, pauseMs, connections, deadlineMillis);
        }
    }

    private final int connections;
    private final int rounds;
    private final int pauseMs;
    private final int holdTimeoutS;
    /** Why this process's open-files limit cannot hold the C connections; null when it can. */
    private final String openFilesRefusal;
    private ServerProcess server;
    private long lastBaselineRss = -1;
    private String lastFirstFailure;
    private long lastPeakRss = -1;
    private String client = "none yet";
    private LoopReport loopReport;

    /** The longest pause between two rounds: an hour (a longer one is a typo, and would hold the run that long). */
    public static final int MAX_PAUSE_MS = 3_600_000;

    public ConnectionsWorkload(int connections, int rounds, int pauseMs, int holdTimeoutS) {
        if (connections < 1) throw new IllegalArgumentException("-c must be a positive number, was " + connections);
        if (rounds < 1) throw new IllegalArgumentException("--rounds must be a positive number, was " + rounds);
        if (pauseMs < 1 || pauseMs > MAX_PAUSE_MS)
            throw new IllegalArgumentException("--pause-ms must be 1.." + MAX_PAUSE_MS + " (an hour), was " + pauseMs);
        if (holdTimeoutS < 1) throw new IllegalArgumentException("--hold-timeout-s must be a positive number, was " + holdTimeoutS);
        this.connections = connections;
        this.rounds = rounds;
        this.pauseMs = pauseMs;
        this.holdTimeoutS = holdTimeoutS;
        this.openFilesRefusal = OpenFiles.refusal(connections, OpenFiles.limit());
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

    /** False when this machine's open-files limit cannot hold the C connections ({@link OpenFiles}), on any model. */
    @Override
    public boolean supports(String model) {
        return openFilesRefusal == null;
    }

    @Override
    public String unsupportedReason(String model) {
        return openFilesRefusal != null ? openFilesRefusal : Workload.super.unsupportedReason(model);
    }

    /** Starts the echo server, so that no trial times its start. */
    @Override
    public void prepare() {
        server();
    }

    /** The echo port of the server this workload drives (started on first use): for peers in other languages. */
    public int echoPort() {
        return server().echoPort();
    }

    /** Rounds, pause and hold timeout: the same work, for peers in other languages. */
    public int rounds() {
        return rounds;
    }

    public int pauseMs() {
        return pauseMs;
    }

    public int holdTimeoutS() {
        return holdTimeoutS;
    }

    private ServerProcess server() {
        if (server == null) server = ServerProcess.start(ServerOptions.defaults().withEchoBarrier(connections),
                // the warm-up opens a quarter as many echo connections as requests: C of them
                (int) Math.min(IoWorkload.SERVER_WARMUP_REQUESTS, 4L * connections));
        return server;
    }

    @Override
    public Tally runOnce(TaskPool pool, Progress progress) throws InterruptedException {
        ServerProcess s = server();
        long baseline = ProcessTreeProbe.rssBytes();
        long deadline = System.currentTimeMillis() + TimeUnit.SECONDS.toMillis(holdTimeoutS);
        AtomicLong done = new AtomicLong(), failed = new AtomicLong();
        List<TaskFuture<Long>> fs = new ArrayList<>(connections);
        boolean async = pool.has(SingleEventLoop.class);
        client = async ? "railyard loop TCP (non-blocking)" : "java.net.Socket (blocking)";
        for (int i = 0; i < connections; i++) {
            TaskFuture<Long> f = async
                    ? pool.submitAsync(new AsyncHold("127.0.0.1", s.echoPort(), i, rounds, pauseMs, connections, deadline))
                    : pool.submit(new Hold("127.0.0.1", s.echoPort(), i, rounds, pauseMs, connections, deadline));
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
                } catch (ExecutionException | java.util.concurrent.TimeoutException | java.util.concurrent.CancellationException e) {
                    // failures are counted above (a connection cancelled by a stopped run too); timeouts just mean: sample again
                }
            }
        }
        loopReport = pool.capability(LoopPool.class).map(LoopPool::report).orElse(null);
        lastBaselineRss = baseline;
        lastPeakRss = Math.max(peak, ProcessTreeProbe.rssBytes());
        // counted from the futures, all done by now: the callbacks above only feed the progress bar,
        // and the last of them may still be running when its future already reads as done
        long ok = 0;
        Throwable first = null;
        Map<String, Long> failures = new java.util.TreeMap<>(); // by reason, as the other works count them
        for (TaskFuture<Long> f : fs) {
            if (!f.isCompletedExceptionally()) {
                ok++;
                continue;
            }
            Throwable e = failure(f);
            if (first == null) first = e;
            failures.merge(FailureReasons.of(e), 1L, Long::sum);
        }
        lastFirstFailure = first == null ? null : first.getClass().getName() + ": " + first.getMessage();
        if (ok == 0 && first instanceof EchoClient.HoldFailedException) {
            // every connection failed the same clear way: say it once, like the CLI's other errors
            throw new WorkloadFailedException(first.getMessage());
        }
        return new Tally(ok, fs.size() - ok, failures);
    }

    /** Why a failed connection failed; a cancelled one (a stopped run) has no exception of its own to ask for. */
    private static Throwable failure(TaskFuture<Long> f) {
        return f.isCancelled() ? new java.util.concurrent.CancellationException("cancelled: the run was stopped") : f.exceptionNow();
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
        p.put("client", client);
        p.put("first_failure", lastFirstFailure); // why a connection failed, if one did
        p.putAll(LoopFigures.of(loopReport));
        return p;
    }

    @Override
    public void close() {
        if (server != null) server.close();
        server = null;
    }
}
