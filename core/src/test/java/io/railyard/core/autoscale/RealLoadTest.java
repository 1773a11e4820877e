package io.railyard.core.autoscale;

import com.sun.net.httpserver.HttpServer;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFuture;
import io.railyard.core.autoscale.ScalingDecision.Reason;
import io.railyard.core.probe.ProcessTreeProbe;
import io.railyard.core.probe.ResourceSampler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The autoscaler against real load, on the real clock, asserted on its logged decisions: a real
 * HTTP server that answers 429 past its capacity, real CPU-burning neighbour processes in the tree,
 * real tasks allocating real memory. Every run is bounded in time and tasks; the assertions are on
 * what was decided and why, never on how fast.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RealLoadTest {

    static final long MIB = 1L << 20;

    private final List<AutoscaledPool> pools = new ArrayList<>();
    private final List<Process> neighbours = new ArrayList<>();
    private final AtomicBoolean feeding = new AtomicBoolean(true);
    private HttpServer server;

    @AfterEach
    void tearDown() throws Exception {
        feeding.set(false);
        for (Process p : neighbours) p.destroyForcibly();
        for (AutoscaledPool p : pools) {
            p.shutdownNow();
            assertTrue(p.awaitTermination(Duration.ofSeconds(30)));
        }
        if (server != null) server.stop(0);
    }

    AutoscaledPool open(Budget budget) {
        AutoscaledPool p = AutoscaledPool.open("threads", PoolSpec.of(budget.maxConcurrency()), budget, AutoscaleOptions.DEFAULT);
        pools.add(p);
        return p;
    }

    /**
     * Keeps the pool saturated from a feeder thread: at most twice its maximum concurrency
     * submitted and unfinished, until {@code until} holds for the decisions or {@code seconds} pass.
     */
    List<ScalingDecision> feedUntil(AutoscaledPool pool, io.railyard.core.BlockingTask<?> task, Predicate<List<ScalingDecision>> until,
                                    double seconds) throws InterruptedException {
        Semaphore window = new Semaphore(2 * pool.concurrency());
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        while (feeding.get() && System.nanoTime() < deadline && !until.test(pool.decisions())) {
            if (!window.tryAcquire(10, TimeUnit.MILLISECONDS)) continue;
            TaskFuture<?> f = pool.submit(task);
            f.whenComplete((v, e) -> window.release());
        }
        return pool.decisions();
    }

    static boolean has(List<ScalingDecision> d, Reason reason, boolean down) {
        return d.stream().anyMatch(x -> x.reason() == reason && x.down() == down);
    }

    // ---------------------------------------------------------------- client overload

    @Test
    void concurrencyRisesUnderLightLoadAndFallsWhenTheServerAnswers429() throws Exception {
        int capacity = 6;
        AtomicInteger inServer = new AtomicInteger();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 256);
        server.setExecutor(Executors.newFixedThreadPool(64));
        server.createContext("/work", exchange -> {
            try (exchange) {
                int now = inServer.incrementAndGet();
                try {
                    if (now > capacity) {
                        exchange.sendResponseHeaders(429, -1);
                        return;
                    }
                    Thread.sleep(20);
                    exchange.sendResponseHeaders(200, 2);
                    exchange.getResponseBody().write("ok".getBytes());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    inServer.decrementAndGet();
                }
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/work";
        AutoscaledPool pool = open(new Budget(1L << 40, Runtime.getRuntime().availableProcessors(), 64, 0));
        List<ScalingDecision> d = feedUntil(pool, () -> {
            int status = get(url);
            pool.reportResponse(status);
            return status;
        }, x -> has(x, Reason.CLIENT, true), 30);
        assertTrue(has(d, Reason.SCALE_UP, false), "rose under light load: " + d);
        ScalingDecision first = d.stream().filter(x -> x.reason() == Reason.CLIENT).findFirst()
                .orElseThrow(() -> new AssertionError("never backed off from the 429s: " + d));
        assertTrue(first.down() && first.from() > capacity && first.clientOverloadShare() > 0.05, first.toString());
        ScalingDecision firstUp = d.stream().filter(x -> x.reason() == Reason.SCALE_UP).findFirst().orElseThrow();
        assertTrue(firstUp.atS() < first.atS());
        assertTrue(firstUp.clientOverloadShare() == 0, "no 429 at low concurrency: " + firstUp);
    }

    static int get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(10_000);
        c.setReadTimeout(10_000);
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            if (in != null) in.readAllBytes(); // drained: the connection goes back to the keep-alive cache
        }
        return status;
    }

    // ---------------------------------------------------------------- CPU neighbours

    @Test
    void aCpuSaturatingNeighbourInTheTreeMakesConcurrencyFall() throws Exception {
        // light tasks: the tree barely uses CPU, so the autoscaler rises to the maximum
        AutoscaledPool pool = open(new Budget(1L << 40, 0.4, 16, 0));
        List<ScalingDecision> up = feedUntil(pool, () -> {
            Thread.sleep(50);
            return 0;
        }, x -> x.stream().anyMatch(y -> y.to() == 16), 30);
        assertTrue(up.stream().anyMatch(x -> x.reason() == Reason.SCALE_UP && x.to() == 16), "rose to 16: " + up);
        assertFalse(has(up, Reason.CPU, true), up.toString());
        int before = up.size();
        // neighbours started by this JVM belong to its tree: their CPU counts against the budget (eight of
        // them, so that they take more than the budget even on a machine busy with other work)
        for (int i = 0; i < 8; i++) neighbours.add(new ProcessBuilder("sh", "-c", "while :; do :; done").start());
        List<ScalingDecision> all = feedUntil(pool, () -> {
            Thread.sleep(50);
            return 0;
        }, x -> has(x.subList(before, x.size()), Reason.CPU, true), 30);
        ScalingDecision cpu = all.subList(before, all.size()).stream().filter(x -> x.reason() == Reason.CPU).findFirst()
                .orElseThrow(() -> new AssertionError("no CPU back-off with neighbours burning CPU: " + all));
        assertTrue(cpu.down() && cpu.cpuCores() > 0.4, cpu.toString());
        assertTrue(cpu.to() < 16);
    }

    // ---------------------------------------------------------------- memory

    @Test
    void tasksAllocatingUntilToldToStopAreScaledDownBeforeTheLimit() throws Exception {
        long budgetBytes = ProcessTreeProbe.rssBytes() + 400 * MIB;
        AutoscaledPool pool = open(new Budget(budgetBytes, Runtime.getRuntime().availableProcessors(), 8, 0));
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<byte[]> kept = new ConcurrentLinkedQueue<>();
        ResourceSampler sampler = new ResourceSampler(Duration.ofMillis(10)).start();
        List<ScalingDecision> d;
        try {
            // each task allocates 2 MiB every 20 ms and keeps it: 100 MiB/s per task, until told to stop
            // (and never more than 800 MiB in all, so that an autoscaler that misses it fails this
            // test, not the JVM that runs every test)
            d = feedUntil(pool, () -> {
                while (!stop.get() && kept.size() < 400) {
                    byte[] b = new byte[2 << 20];
                    for (int i = 0; i < b.length; i += 4096) b[i] = 1; // touch every page: resident
                    kept.add(b);
                    Thread.sleep(20);
                }
                return 0;
            }, x -> has(x, Reason.MEMORY, true) || has(x, Reason.MEMORY_STOP, true), 30);
            stop.set(true);
        } finally {
            stop.set(true);
            feeding.set(false);
            pool.close();
            kept.clear();
        }
        ResourceSampler.Samples s = sampler.stop();
        ScalingDecision down = d.stream().filter(x -> x.reason() == Reason.MEMORY || x.reason() == Reason.MEMORY_STOP)
                .findFirst().orElseThrow(() -> new AssertionError("no memory decision: " + d));
        assertTrue(down.down(), down.toString());
        assertTrue(down.rssBytes() < budgetBytes, "decided before the limit: " + down);
        assertTrue(s.peakRssBytes() <= budgetBytes, "peak " + s.peakRssBytes() / MIB + " MiB over the budget of "
                + budgetBytes / MIB + " MiB; decisions " + d);
    }
}
