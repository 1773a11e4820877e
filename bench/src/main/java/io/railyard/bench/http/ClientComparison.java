package io.railyard.bench.http;

import io.railyard.crawl.http.BlockingHttp;
import io.railyard.server.ServerOptions;
import io.railyard.server.ServerProcess;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.io.entity.EntityUtils;

import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chooses the blocking models' HTTP client by measurement: the JDK's {@link HttpClient}, the JDK's
 * {@link HttpURLConnection}, and Apache HttpClient 5 (classic, blocking) do the io workload's work (N GETs of {@code /delay/L}, at most C in flight,
 * keep-alive, every connection pool sized C) on C platform threads and on C virtual threads.
 *
 * <pre>
 *   main --starts--> detached latency server JVM (its CPU is not the clients')
 *     \--for each client x thread kind--> fresh JVM: run 1 (cold), run 2 (warm) --> one result line
 * </pre>
 * Each cell runs in a fresh JVM with the launcher's flags, so its CPU seconds are the client's
 * alone: cold = JVM start to the end of run 1, warm = run 2 alone. Prints a table: CPU seconds per
 * 1,000 requests and wall time over the limit ceil(N/C) x L.
 *
 * <pre>
 *   bench/scripts/client-comparison.sh [N C L [clients]]
 * </pre>
 * (Apache HttpClient is a provided dependency, not in railyard.jar; the script puts it on the class path.)
 * Not thread-safe (a main class); each cell's fetchers are shared by that cell's C threads.
 * Defaults: 30000 1000 100, clients {@code jdk-httpclient,urlconnection,apache5}; {@code railyard}
 * is {@link BlockingHttp}, the winner wrapped, to check the wrapper costs nothing.
 */
public final class ClientComparison {

    private ClientComparison() {}

    /** One way to GET a URL and read the whole body; returns the body's length. */
    interface Fetch extends AutoCloseable {
        long get(URI uri) throws IOException, InterruptedException;

        @Override
        default void close() throws IOException {}
    }

    static Fetch open(String client, int connections) {
        return switch (client) {
            case "jdk-httpclient" -> {
                HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10)).build();
                yield uri -> c.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(),
                        HttpResponse.BodyHandlers.ofByteArray()).body().length;
            }
            case "urlconnection" -> {
                // the keep-alive cache holds 5 connections per host unless told otherwise (read once, at first use)
                System.setProperty("http.maxConnections", String.valueOf(connections));
                yield uri -> {
                    HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
                    c.setConnectTimeout(10_000);
                    c.setReadTimeout(30_000);
                    try (InputStream in = c.getInputStream()) {
                        return in.readAllBytes().length; // reading to the end returns the connection to the cache
                    }
                };
            }
            case "apache5" -> {
                CloseableHttpClient c = HttpClients.custom()
                        .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                                .setMaxConnTotal(connections).setMaxConnPerRoute(connections)
                                .setDefaultConnectionConfig(ConnectionConfig.custom()
                                        .setConnectTimeout(10, TimeUnit.SECONDS).setSocketTimeout(30, TimeUnit.SECONDS).build())
                                .build())
                        .disableAutomaticRetries().disableRedirectHandling().disableCookieManagement().disableContentCompression()
                        .build();
                yield new Fetch() {
                    @Override
                    public long get(URI uri) throws IOException {
                        return c.execute(new HttpGet(uri), r -> EntityUtils.toByteArray(r.getEntity()).length);
                    }

                    @Override
                    public void close() throws IOException {
                        c.close();
                    }
                };
            }
            case "railyard" -> {
                BlockingHttp c = new BlockingHttp();
                yield uri -> c.get(uri).body().length;
            }
            default -> throw new IllegalArgumentException("unknown client '" + client + "': use jdk-httpclient, urlconnection, apache5 or railyard");
        };
    }

    /** The io work once: N GETs on C threads of the given kind; returns wall nanos, throws if any failed. */
    static long runOnce(Fetch fetch, URI uri, int n, int c, boolean virtual) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong failed = new AtomicLong();
        AtomicLong bytes = new AtomicLong();
        List<Throwable> firstError = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(c);
        ThreadFactory threads = virtual ? Thread.ofVirtual().name("fetch-", 0).factory() : Thread.ofPlatform().name("fetch-", 0).stackSize(256 * 1024).factory();
        long t0 = System.nanoTime();
        for (int i = 0; i < c; i++) {
            threads.newThread(() -> {
                try {
                    while (next.getAndIncrement() < n) {
                        try {
                            bytes.addAndGet(fetch.get(uri));
                        } catch (Exception e) {
                            failed.incrementAndGet();
                            synchronized (firstError) {
                                if (firstError.isEmpty()) firstError.add(e);
                            }
                        }
                    }
                } finally {
                    done.countDown();
                }
            }).start();
        }
        if (!done.await(10, TimeUnit.MINUTES)) throw new IllegalStateException("the run did not finish within 10 minutes");
        long wall = System.nanoTime() - t0;
        if (failed.get() > 0) throw new IllegalStateException(failed.get() + " of " + n + " requests failed, first: " + firstError.get(0));
        return wall;
    }

    /** In a fresh JVM: {@code --cell client platform|virtual n c l url}. Prints one result line. */
    static void cell(String[] a) throws Exception {
        String client = a[1];
        boolean virtual = a[2].equals("virtual");
        int n = Integer.parseInt(a[3]), c = Integer.parseInt(a[4]);
        URI uri = URI.create(a[6] + "/delay/" + a[5]);
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (Fetch fetch = open(client, c)) {
            long coldWall = runOnce(fetch, uri, n, c, virtual);
            long coldCpu = os.getProcessCpuTime();
            long warmWall = runOnce(fetch, uri, n, c, virtual);
            long warmCpu = os.getProcessCpuTime() - coldCpu;
            System.out.println("RESULT " + coldWall + " " + coldCpu + " " + warmWall + " " + warmCpu);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--cell")) {
            cell(args);
            return;
        }
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 30_000;
        int c = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int l = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        List<String> clients = List.of((args.length > 3 ? args[3] : "jdk-httpclient,urlconnection,apache5").split(","));
        double limit = Math.ceil((double) n / c) * l / 1000.0;
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        try (ServerProcess server = ServerProcess.start(ServerOptions.defaults().withEchoPort(-1))) {
            System.out.printf(Locale.ROOT, "io work: %d GETs of /delay/%d, %d in flight, keep-alive; limit %.2f s; %d cores; server pid %d%n",
                    n, l, c, limit, Runtime.getRuntime().availableProcessors(), server.pid());
            System.out.printf(Locale.ROOT, "%-15s %-8s | %-27s | %-27s%n", "", "", "cold (fresh JVM, run 1)", "warm (run 2)");
            System.out.printf(Locale.ROOT, "%-15s %-8s | %12s %14s | %12s %14s%n", "client", "threads", "wall/limit", "cpu s/1000 req", "wall/limit", "cpu s/1000 req");
            for (String client : clients) {
                for (String kind : List.of("platform", "virtual")) {
                    List<String> cmd = List.of(java, "-XX:+UseSerialGC", "-Xshare:auto", "-XX:-UsePerfData", "-Xss256k",
                            "-Dslf4j.internal.verbosity=ERROR", "-cp", System.getProperty("java.class.path"),
                            ClientComparison.class.getName(), "--cell", client, kind,
                            String.valueOf(n), String.valueOf(c), String.valueOf(l), server.origin());
                    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes());
                    p.waitFor();
                    String result = out.lines().filter(s -> s.startsWith("RESULT ")).findFirst().orElse(null);
                    if (result == null) {
                        System.out.printf(Locale.ROOT, "%-15s %-8s | failed: %s%n", client, kind, out.strip().lines().reduce((x, y) -> y).orElse("no output"));
                        continue;
                    }
                    String[] f = result.split(" ");
                    double coldWall = Long.parseLong(f[1]) / 1e9, coldCpu = Long.parseLong(f[2]) / 1e9;
                    double warmWall = Long.parseLong(f[3]) / 1e9, warmCpu = Long.parseLong(f[4]) / 1e9;
                    System.out.printf(Locale.ROOT, "%-15s %-8s | %12.2f %14.3f | %12.2f %14.3f%n", client, kind,
                            coldWall / limit, coldCpu / n * 1000, warmWall / limit, warmCpu / n * 1000);
                }
            }
        }
    }
}
