package io.railyard.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The top-level command: only dispatches to subcommands (which {@link Main#commandLine} adds, lazily). */
@Command(name = "railyard", mixinStandardHelpOptions = true, // --version: Main.version(), from the build
        description = {
                "Runs many tasks under the concurrency model that fits them (processes, threads, loop, virtual,"
                        + " cluster), measures what each model costs, and keeps a run inside a budget."})
public final class RailyardCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a command is required: run, compare, serve, member, crawl or advise");
    }
}
