package io.railyard.cli;

import io.railyard.bench.workload.ConnectionsWorkload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code railyard run connections}: hold C connections at once, R echo rounds each. */
@Command(name = "connections", mixinStandardHelpOptions = true,
        description = {"Many long-lived connections: C echo connections held open at once (-c), each doing R echo rounds"
                        + " followed by a pause.",
                "The echo server answers only once all C are open, so a model that cannot hold C fails at --hold-timeout-s."
                        + " limit_s = R x pause."})
public final class RunConnectionsCommand implements Callable<Integer> {

    @Mixin
    RunOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "--rounds", paramLabel = "R", defaultValue = "5", description = "echo rounds per connection (default: ${DEFAULT-VALUE})")
    int rounds;

    @Option(names = "--pause-ms", paramLabel = "MS", defaultValue = "200", description = "pause after each round, ms (default: ${DEFAULT-VALUE})")
    int pauseMs;

    @Option(names = "--hold-timeout-s", paramLabel = "S", defaultValue = "60",
            description = "fail if the C connections are not all open within S seconds (default: ${DEFAULT-VALUE})")
    int holdTimeoutS;

    @Override
    public Integer call() throws Exception {
        options.validate();
        Validate.positive("--rounds", rounds);
        Validate.positive("--pause-ms", pauseMs);
        Validate.positive("--hold-timeout-s", holdTimeoutS);
        try (ConnectionsWorkload work = UserError.whenRejected(() -> new ConnectionsWorkload(options.concurrency, rounds, pauseMs, holdTimeoutS))) {
            return RunOutput.runAndReport(spec, work, options);
        }
    }
}
