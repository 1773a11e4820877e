package io.railyard.cli;

import io.railyard.bench.workload.WorkloadFailedException;
import picocli.CommandLine;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Entry point of the {@code railyard} command. Exit codes: 0 success; 2 bad input, always one line on
 * stderr naming the input and the fix, never a stack trace: picocli's parameter errors (unknown
 * command or option, a value of the wrong type) and the commands' {@link UserError}s, which are the
 * only exceptions treated as the user's; 1 a failure while running: one line when the model could
 * not do the work ({@link WorkloadFailedException}), and for any other exception, which is a bug,
 * its stack trace and a line asking to report it. A command that passes user input to a library
 * which rejects it with an {@link IllegalArgumentException} turns that into a {@link UserError}
 * where it passes the input, so that a library's IllegalArgumentException thrown anywhere else
 * still shows as the bug it is.
 */
public final class Main {
    /** Where bugs are reported. */
    static final String ISSUES = "https://github.com/railyard-dev/railyard/issues";

    private Main() {}

    public static void main(String[] args) {
        int code = run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
        System.exit(code);
    }

    /** Runs the command line with the given streams and returns the exit code (for tests). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return execute(new CommandLine(new RailyardCommand()), out, err, args);
    }

    /** Runs {@code cl} (railyard's command, or a test's) with railyard's exit codes and error lines. */
    static int execute(CommandLine cl, PrintWriter out, PrintWriter err, String... args) {
        cl.setOut(out);
        cl.setErr(err);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.getCommandSpec().versionProvider(() -> new String[]{"railyard " + version()});
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("railyard: " + oneLine(ex.getMessage()) + " (see "
                    + ex.getCommandLine().getCommandSpec().qualifiedName() + " --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            if (ex instanceof UserError) {
                c.getErr().println("railyard: " + oneLine(ex.getMessage()));
                return 2;
            }
            if (ex instanceof WorkloadFailedException) {
                c.getErr().println("railyard: " + c.getCommandSpec().qualifiedName() + " failed: " + oneLine(ex.getMessage()));
                return 1;
            }
            c.getErr().println("railyard: " + c.getCommandSpec().qualifiedName() + " failed with an unexpected error, a bug in railyard:");
            ex.printStackTrace(c.getErr());
            c.getErr().println("railyard: please report it, with the command line and the stack trace above, at " + ISSUES);
            return 1;
        });
        return cl.execute(args);
    }

    /**
     * The project's version, as the build wrote it into the resource {@code io/railyard/cli/version}
     * (Maven resource filtering); read only when asked for, one small resource of the jar already open.
     */
    static String version() {
        try (InputStream in = Main.class.getResourceAsStream("version")) {
            String v = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!v.isEmpty() && !v.contains("${")) return v;
        } catch (IOException e) {
            // an unreadable resource: say so in the version line below
        }
        return "(version unknown: not built by Maven)";
    }

    private static String oneLine(String message) {
        if (message == null) return "invalid input";
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
