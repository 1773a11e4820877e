package io.railyard.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code railyard run WORKLOAD}: one workload on one model, measured (its subcommands: {@link Main#subcommands}). */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run one workload on one model and measure it (wall, CPU, memory, limit).")
public final class RunCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a workload is required: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
