package io.railyard.cli;

import io.railyard.server.ServerMain;
import io.railyard.server.ServerOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.util.concurrent.Callable;

/** {@code railyard serve}: the latency server in the foreground until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Run the latency server (loopback by default) until Ctrl-C.",
                "It answers /delay/{ms}[?bytes=N], /bytes/{n}, /status/{code}, /redirect/{n}, /site/ (a generated site of"
                        + " --pages pages), /robots.txt and /stats, and holds a TCP echo port for long-lived connections."
                        + " GET / lists the endpoints."})
public final class ServeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = "127.0.0.1", description = "address to listen on (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--port", paramLabel = "P", defaultValue = "8080", description = "HTTP port, 0 for any free one (default: ${DEFAULT-VALUE})")
    int port;

    @Option(names = "--echo-port", paramLabel = "P", defaultValue = "8081", description = "TCP echo port, 0 for any free one, -1 for none (default: ${DEFAULT-VALUE})")
    int echoPort;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "1", description = "event-loop threads, 1 or 2 (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--pages", paramLabel = "P", defaultValue = "1000", description = "pages of the generated site (default: ${DEFAULT-VALUE})")
    int pages;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "seed of the site's link graph (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--latency-ms", paramLabel = "MS", defaultValue = "0", description = "delay of every /site/ page (default: ${DEFAULT-VALUE})")
    int latencyMs;

    @Option(names = "--site-fail-first", paramLabel = "N", defaultValue = "0",
            description = "answer the first N requests of each site page with --site-fail-status (default: ${DEFAULT-VALUE})")
    int failFirst;

    @Option(names = "--site-fail-status", paramLabel = "CODE", defaultValue = "429", description = "(default: ${DEFAULT-VALUE})")
    int failStatus;

    @Option(names = "--echo-barrier", paramLabel = "N", defaultValue = "0",
            description = "echo nothing until N echo connections are open at once (default: ${DEFAULT-VALUE}, off)")
    int echoBarrier;

    @Option(names = "--warmup-requests", paramLabel = "N", defaultValue = "0",
            description = "answer N requests of its own before it reports that it serves, so that a benchmark meets compiled server code (default: ${DEFAULT-VALUE})")
    int warmupRequests;

    @Option(names = "--parent-pid", paramLabel = "PID",
            description = "stop when the process PID has ended (a script's $$), so that a script killed mid-run leaves no server behind")
    Long parentPid;

    @Override
    public Integer call() throws Exception {
        ServerOptions options = UserError.whenRejected(() -> ServerOptions.defaults().withHost(host).withPort(port).withEchoPort(echoPort)
                .withThreads(threads).withSite(pages, seed).withSiteLatencyMs(latencyMs).withSiteFailures(failFirst, failStatus)
                .withEchoBarrier(echoBarrier));
        if (warmupRequests < 0) throw new UserError("--warmup-requests must be 0 or more, was " + warmupRequests);
        if (parentPid != null && ProcessHandle.of(parentPid).isEmpty())
            throw new UserError("--parent-pid " + parentPid + ": no such process; give the pid of a running process (a script's $$)");
        PrintWriter out = spec.commandLine().getOut();
        try {
            ServerMain.serve(options, warmupRequests, parentPid == null ? -1 : parentPid, server -> {
                out.printf("railyard serve: %s (%s, %d thread%s), echo port %s, site of %d pages at %s/site/; Ctrl-C stops%n",
                        server.origin(), server.transport(), threads, threads == 1 ? "" : "s",
                        server.echoPort() < 0 ? "off" : String.valueOf(server.echoPort()), pages, server.origin());
                out.flush();
            });
        } catch (UncheckedIOException e) {
            // the server could not listen: a port taken, an address not of this machine
            if (e.getCause() instanceof BindException bind) throw new UserError(bind.getMessage(), e);
            throw e;
        }
        return 0;
    }
}
