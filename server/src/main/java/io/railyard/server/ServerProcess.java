package io.railyard.server;

import io.railyard.core.probe.Liveness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LatencyServer} in a JVM of its own, started detached: it is not a descendant of this
 * process, so a benchmark that measures its own process tree (CPU seconds, RSS, open files)
 * measures the client alone, as CPython's peer is measured against the same server. The server
 * ends when {@link #close()} kills it, or by itself when this process ends.
 *
 * <pre>
 *   this JVM --sh -c 'java ServerMain SETTINGS &amp;'--> sh exits at once --> server JVM re-parented to init
 *        \-- reads "listening http=P echo=E" from the server's output file
 * </pre>
 *
 * <p>Lifecycle: {@link #start} returns a serving process or throws; {@link #close()} stops it
 * (idempotent). Thread-safe.
 */
public final class ServerProcess implements AutoCloseable {

    private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final ProcessHandle process;
    private final String host;
    private final int port;
    private final int echoPort;

    private ServerProcess(ProcessHandle process, String host, int port, int echoPort) {
        this.process = process;
        this.host = host;
        this.port = port;
        this.echoPort = echoPort;
    }

    /** Starts a server with these options in a detached JVM and waits until it serves. */
    public static ServerProcess start(ServerOptions options) {
        return start(options, 0);
    }

    /**
     * Like {@link #start(ServerOptions)}, but the server first answers {@code warmupRequests}
     * requests of its own ({@link ServerWarmup}), so that a benchmark's first trial meets compiled
     * server code rather than measuring the server's start-up.
     */
    public static ServerProcess start(ServerOptions options, int warmupRequests) {
        Path output = null;
        try {
            output = Files.createTempFile("railyard-server-", ".out");
            String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", "\"$@\" >\"$0\" 2>&1 </dev/null & echo $!", output.toString(),
                    java, "-XX:+UseSerialGC", "-Xmx512m", "-XX:-UsePerfData", "--enable-native-access=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), ServerMain.class.getName(),
                    ServerMain.argument(options, ProcessHandle.current().pid(), warmupRequests)));
            Process sh = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String pidLine = new String(sh.getInputStream().readAllBytes()).trim();
            sh.waitFor();
            ProcessHandle server = ProcessHandle.of(Long.parseLong(pidLine)).orElse(null);
            if (server == null) throw new IllegalStateException("the server process ended at once: " + read(output).strip());
            long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
            while (System.nanoTime() < deadline) {
                for (String line : read(output).split("\n")) {
                    if (line.startsWith(ServerMain.LISTENING + " ")) {
                        int http = Integer.parseInt(field(line, "http="));
                        int echo = Integer.parseInt(field(line, "echo="));
                        return new ServerProcess(server, options.host(), http, echo);
                    }
                }
                if (!Liveness.running(server)) throw new IllegalStateException("the server process failed: " + read(output).strip());
                Thread.sleep(20);
            }
            server.destroyForcibly();
            throw new IllegalStateException("the server process did not start within 60 s: " + read(output).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the server process: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the server process", e);
        } finally {
            // read only while the server starts: gone once it serves or failed, so that nothing is left
            // behind when this JVM ends without closing the server (Ctrl-C, kill); the server writes on
            // into the unlinked file, whose space is freed when it exits
            if (output != null) {
                try {
                    Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a temp file left behind is harmless
                }
            }
        }
    }

    private static String field(String line, String key) {
        int from = line.indexOf(key) + key.length();
        int end = line.indexOf(' ', from);
        return end < 0 ? line.substring(from) : line.substring(from, end);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file);
    }

    public int port() {
        return port;
    }

    public int echoPort() {
        return echoPort;
    }

    public long pid() {
        return process.pid();
    }

    public String origin() {
        return "http://" + host + ":" + port;
    }

    public boolean isAlive() {
        return Liveness.running(process);
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s). */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            // polled here, a zombie counting as gone (Liveness): the server is not our child, so it
            // stays a zombie until init reaps it, ~1 s here after a server that stopped in 14 ms
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            try {
                while (Liveness.running(process) && System.nanoTime() < deadline) Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (Liveness.running(process)) process.destroyForcibly();
        }
    }
}
