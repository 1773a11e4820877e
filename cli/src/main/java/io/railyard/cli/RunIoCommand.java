package io.railyard.cli;

import io.railyard.bench.workload.IoWorkload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code railyard run io}: N GETs with server latency L, at most C in flight, the seed's IO-bound problem. */
@Command(name = "io", mixinStandardHelpOptions = true,
        description = {"IO-bound work: N GET requests answered after L ms, at most C in flight, keep-alive.",
                "Without --url the latency server starts in a process of its own and /delay/L is requested."
                        + " limit_s = ceil(N / C) x L."})
public final class RunIoCommand implements Callable<Integer> {

    @Mixin
    RunOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "-n", paramLabel = "N", defaultValue = "1000", description = "requests (default: ${DEFAULT-VALUE})")
    int n;

    @Option(names = "--latency-ms", paramLabel = "L", defaultValue = "100", description = "server latency per request, ms (default: ${DEFAULT-VALUE})")
    int latencyMs;

    @Option(names = "--url", paramLabel = "URL", description = "request this URL instead of starting the latency server (L then only sets the limit)")
    String url;

    @Option(names = "--timeout-ms", paramLabel = "MS", defaultValue = "30000",
            description = "deadline of each whole request, connecting to the last byte of the body; past it the request fails (default: ${DEFAULT-VALUE})")
    long timeoutMs;

    @Option(names = "--max-body-bytes", paramLabel = "B", defaultValue = "1048576",
            description = "longest body a request may have; bodies are counted, not kept; a longer one fails its request (default: ${DEFAULT-VALUE})")
    long maxBodyBytes;

    @Override
    public Integer call() throws Exception {
        options.validate();
        Validate.positive("-n", n);
        Validate.range("--latency-ms", latencyMs, 0, 600_000, null);
        Validate.range("--timeout-ms", timeoutMs, 1, 86_400_000, "a day");
        if (maxBodyBytes < 0 || maxBodyBytes > Integer.MAX_VALUE)
            throw new UserError("--max-body-bytes must be 0.." + Integer.MAX_VALUE + ", was " + maxBodyBytes);
        try (IoWorkload work = UserError.whenRejected(() -> new IoWorkload(n, latencyMs, url, java.time.Duration.ofMillis(timeoutMs), (int) maxBodyBytes))) {
            return RunOutput.runAndReport(spec, work, options);
        }
    }
}
