package io.railyard.server;

import io.railyard.core.codec.RecordArgument;
import io.railyard.core.probe.Liveness;

import java.util.Map;
import java.util.function.Consumer;

/**
 * Serving a {@link LatencyServer} in the foreground of a process: {@link #serve} is what
 * {@code railyard serve} runs, and {@link #main} runs it in the detached JVM that
 * {@link ServerProcess} starts. That JVM gets its settings as one argument ({@link #argument}, a
 * {@link RecordArgument}): a wire form between the two processes, not a command line for people,
 * whose one front end is {@code railyard serve}. Prints one line
 * {@code listening http=PORT echo=PORT transport=NAME} once it serves (what ServerProcess waits
 * for), then serves until killed or until the process that started it has ended. Settings that are
 * not in that form: one line on stderr, exit code 2; a server that cannot start (a port taken):
 * one line, exit code 1.
 */
public final class ServerMain {
    private ServerMain() {}

    /** The first word of the line the child prints when it serves. */
    static final String LISTENING = "listening";

    public static void main(String[] args) throws InterruptedException {
        ServerOptions options;
        long parent;
        int warmup;
        try {
            if (args.length != 1) throw new IllegalArgumentException("expected one argument, got " + args.length);
            Map<String, String> values = RecordArgument.parse(args[0]);
            options = RecordArgument.decode(ServerOptions.class, values);
            parent = Long.parseLong(values.getOrDefault("parentPid", "-1"));
            warmup = Integer.parseInt(values.getOrDefault("warmupRequests", "0"));
        } catch (IllegalArgumentException e) {
            System.err.println("railyard server: " + e.getMessage() + " (this is the process ServerProcess starts;"
                    + " to run a server, use 'railyard serve')");
            System.exit(2);
            return;
        }
        try {
            serve(options, warmup, parent, server -> {
                System.out.println(LISTENING + " http=" + server.port() + " echo=" + server.echoPort() + " transport=" + server.transport());
                System.out.flush();
            });
        } catch (RuntimeException e) {
            System.err.println("railyard server: " + e.getMessage());
            System.exit(1);
        }
    }

    /**
     * The one argument of the server JVM {@link ServerProcess} starts: {@code options}, the pid of
     * the process whose end stops it, and the warm-up requests.
     */
    static String argument(ServerOptions options, long parentPid, int warmupRequests) {
        return RecordArgument.encode(options, Map.of("parentPid", Long.toString(parentPid), "warmupRequests", Integer.toString(warmupRequests)));
    }

    /**
     * Starts a server with {@code options}, answers {@code warmupRequests} requests of its own first
     * ({@link ServerWarmup}: a benchmark then meets compiled server code), tells {@code ready}, and
     * serves on the calling thread until the server is closed: by a shutdown hook (Ctrl-C, SIGTERM),
     * or when the process {@code parentPid} names has ended (-1: never).
     *
     * @throws java.io.UncheckedIOException if the server cannot listen (a port taken)
     */
    public static void serve(ServerOptions options, int warmupRequests, long parentPid, Consumer<LatencyServer> ready)
            throws InterruptedException {
        LatencyServer server = LatencyServer.start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "railyard-server-stop"));
        if (warmupRequests > 0) ServerWarmup.run(server, warmupRequests);
        ready.accept(server);
        if (parentPid > 0) Liveness.whenGone(parentPid, "railyard-server-parent-watch", server::close);
        server.awaitClose();
    }
}
