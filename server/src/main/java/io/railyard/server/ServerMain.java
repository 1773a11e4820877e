package io.railyard.server;

import io.railyard.core.probe.Liveness;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link LatencyServer} as a process of its own (for {@link ServerProcess} and the scripts):
 * {@code java -cp railyard.jar io.railyard.server.ServerMain [--port P] [--echo-port P]
 * [--threads T] [--pages P] [--seed S] [--latency-ms MS] [--echo-barrier N] [--parent-pid PID]
 * [--warmup-requests N]}. With warm-up requests, it first serves N requests to itself
 * ({@link ServerWarmup}) so that benchmarks meet a compiled server.
 * Prints one line {@code listening http=PORT echo=PORT transport=NAME} once it serves, then serves
 * until killed, or until the process {@code --parent-pid} names has ended (so a benchmark that dies
 * leaves no server behind). Bad arguments: one line on stderr, exit code 2.
 */
public final class ServerMain {
    private ServerMain() {}

    public static void main(String[] args) throws InterruptedException {
        ServerOptions options = ServerOptions.defaults();
        long parent = -1;
        int warmup = 0;
        try {
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) throw new IllegalArgumentException(name + " needs a value");
                String value = args[++i];
                switch (name) {
                    case "--host" -> options = options.withHost(value);
                    case "--port" -> options = options.withPort(Integer.parseInt(value));
                    case "--echo-port" -> options = options.withEchoPort(Integer.parseInt(value));
                    case "--threads" -> options = options.withThreads(Integer.parseInt(value));
                    case "--pages" -> options = options.withSite(Integer.parseInt(value), options.seed());
                    case "--seed" -> options = options.withSite(options.pages(), Long.parseLong(value));
                    case "--latency-ms" -> options = options.withSiteLatencyMs(Integer.parseInt(value));
                    case "--echo-barrier" -> options = options.withEchoBarrier(Integer.parseInt(value));
                    case "--transport" -> options = options.withTransport(value);
                    case "--parent-pid" -> parent = Long.parseLong(value);
                    case "--warmup-requests" -> warmup = Integer.parseInt(value);
                    default -> throw new IllegalArgumentException("unknown option " + name);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("railyard server: " + e.getMessage());
            System.exit(2);
        }
        LatencyServer server;
        try {
            server = LatencyServer.start(options);
        } catch (RuntimeException e) {
            System.err.println("railyard server: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "railyard-server-stop"));
        if (warmup > 0) ServerWarmup.run(server, warmup);
        System.out.println("listening http=" + server.port() + " echo=" + server.echoPort() + " transport=" + server.transport());
        System.out.flush();
        if (parent > 0) watchParent(parent, server);
        server.awaitClose();
    }

    private static void watchParent(long pid, LatencyServer server) {
        Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        ScheduledExecutorService watch = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "railyard-server-parent-watch");
            t.setDaemon(true);
            return t;
        });
        watch.scheduleWithFixedDelay(() -> {
            if (handle.isEmpty() || !Liveness.running(handle.get())) server.close();
        }, 0, 500, TimeUnit.MILLISECONDS);
    }
}
