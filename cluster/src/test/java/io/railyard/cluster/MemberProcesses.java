package io.railyard.cluster;

import io.railyard.cluster.jobs.ClusterJobs;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cluster members as real processes for tests: {@code java -cp <this JVM's classpath>
 * io.railyard.cluster.MemberMain SETTINGS} on loopback, each watching this JVM so none outlives it.
 * {@link #close()} kills whatever is left. Used by one test thread.
 */
final class MemberProcesses implements AutoCloseable {

    /** One member process and the address it serves on. */
    record Member(Process process, String address) {
        long pid() {
            return process.pid();
        }

        void kill9() {
            process.destroyForcibly();
        }
    }

    private final List<Member> started = new ArrayList<>();

    /** Options of a one-thread member of a cluster of its own (named for {@code purpose}) that runs the test jobs. */
    static MemberOptions testMember(String purpose) {
        return MemberOptions.standalone().withThreads(1)
                .withClusterName("railyard-" + purpose + "-" + UUID.randomUUID()).withAllow(List.of(ClusterJobs.ALLOW));
    }

    /** Options of a client of {@code members}, which were started with {@code o}. */
    static ClusterPoolOptions clientOf(MemberOptions o, Member... members) {
        List<String> addresses = new ArrayList<>();
        for (Member m : members) addresses.add(m.address());
        return ClusterPoolOptions.DEFAULT.withCluster(addresses).withClusterName(o.clusterName()).withAllow(o.allow());
    }

    /**
     * Starts a member and waits (bounded) until it serves; {@code join} is the address of a member
     * to join, or null for the first one.
     */
    Member start(MemberOptions options, String join) throws Exception {
        int port = freePort();
        MemberOptions o = options.withPort(port);
        if (join != null) o = o.withJoin(List.of(join));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx256m", "-XX:TieredStopAtLevel=1"));
        if (Runtime.version().feature() >= 23) cmd.add("--sun-misc-unsafe-memory-access=allow");
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), MemberMain.class.getName()));
        cmd.add(MemberMain.argument(o, ProcessHandle.current().pid()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Member m = new Member(p, "127.0.0.1:" + port);
        started.add(m);
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Thread out = new Thread(() -> forward(p, m.address(), ready), "member-" + port + "-output");
        out.setDaemon(true);
        out.start();
        try {
            ready.get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            p.destroyForcibly();
            throw new IllegalStateException("member on port " + port + " did not start: " + e, e);
        }
        return m;
    }

    /** Echoes the member's output to this JVM's stdout, prefixed; completes {@code ready} on its first line. */
    private static void forward(Process p, String address, CompletableFuture<Void> ready) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                System.out.println("[member " + address + "] " + line);
                if (line.startsWith(MemberMain.READY)) ready.complete(null);
            }
        } catch (IOException e) {
            // the process is gone
        }
        String status;
        try {
            status = p.waitFor(5, TimeUnit.SECONDS) ? "exit status " + p.exitValue() : "its output closed";
        } catch (InterruptedException e) {
            status = "interrupted";
        }
        ready.completeExceptionally(new IllegalStateException("member " + address + " ended: " + status));
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Member m : started) m.process().destroyForcibly();
        for (Member m : started) m.process().waitFor(15, TimeUnit.SECONDS);
    }
}
