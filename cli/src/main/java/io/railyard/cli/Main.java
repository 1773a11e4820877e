package io.railyard.cli;

import io.railyard.bench.workload.CpuWorkload;
import io.railyard.bench.workload.WorkloadFailedException;
import io.railyard.crawl.Fetches;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

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

    /**
     * The subcommands of a command ({@code ""}: the top level; {@code "run"}), in the order help lists
     * them. {@link #commandLine} builds only the commands the arguments name, each from
     * {@link CommandSpecs} (picocli's programmatic API: no annotation read, docs/startup.md), and the
     * others as their name and description alone (what help lists and what a mistyped name is
     * matched against): a command's classes load only when it runs.
     */
    static List<String> subcommands(String command) {
        return switch (command) {
            case "" -> List.of("run", "compare", "advise", "serve", "crawl", "member", "aot-train");
            case "run" -> List.of("cpu", "io", "connections");
            default -> List.of();
        };
    }

    /** The path of subcommand {@code name} of the command at {@code path} ({@code ""}: the top level). */
    static String path(String path, String name) {
        return path.isEmpty() ? name : path + " " + name;
    }

    /**
     * The class of a command, by its path ({@code "run io"}, {@code ""}: the top level): where its
     * options are declared, as picocli annotations. A switch: a class is loaded when asked for.
     */
    static Class<?> commandClass(String path) {
        return switch (path) {
            case "" -> RailyardCommand.class;
            case "run" -> RunCommand.class;
            case "run cpu" -> RunCpuCommand.class;
            case "run io" -> RunIoCommand.class;
            case "run connections" -> RunConnectionsCommand.class;
            case "compare" -> CompareCommand.class;
            case "advise" -> AdviseCommand.class;
            case "serve" -> ServeCommand.class;
            case "crawl" -> CrawlCommand.class;
            case "member" -> MemberCommand.class;
            case "aot-train" -> AotTrainCommand.class;
            default -> throw new IllegalArgumentException("no command " + path);
        };
    }

    static {
        // picocli's factory otherwise looks for Groovy's closure class, and a class that is not there
        // is looked for in every jar of the class path: 26 jars opened and read for nothing
        if (System.getProperty("picocli.disable.closures") == null) System.setProperty("picocli.disable.closures", "true");
    }

    private static final String SELECTOR_PROVIDER = "java.nio.channels.spi.SelectorProvider";

    public static void main(String[] args) {
        // the version needs no command line: printed before picocli is loaded at all
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            System.out.println("railyard " + version());
            return;
        }
        // a command's help screen, as the build stored it: no command line built either (HelpScreens)
        if (HelpScreens.print(args, System.out)) return;
        OldGenerationCollector.installFromProperty(); // the launcher's heap policy (docs/startup.md)
        NettyLog.install(); // Netty's logger, chosen before Netty looks for one (its search opens every jar)
        // Netty's epoll transport opens a JDK selector as it starts, and the JDK looks for a selector
        // provider in every jar of the class path unless this property names one: the one Linux's JDK
        // uses anyway (docs/startup.md)
        if (System.getProperty("os.name", "").equals("Linux") && System.getProperty(SELECTOR_PROVIDER) == null)
            System.setProperty(SELECTOR_PROVIDER, "sun.nio.ch.EPollSelectorProvider");
        // crawler-commons logs through slf4j, whose start looks for a provider in every jar of the
        // class path unless this property names one: the no-op provider the build ships (slf4j's own
        // line saying so is an info, kept quiet with the rest of its infos; warnings still show)
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.nop.NOPServiceProvider");
            if (System.getProperty("slf4j.internal.verbosity") == null) System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        // a crawl's parsers load on another core while picocli builds the command (docs/startup.md)
        if (args.length > 0 && args[0].equals("crawl")) Fetches.warmUpInBackground();
        // and run cpu's limit is calibrated on the other core meanwhile (CpuWorkload, docs/startup.md)
        if (args.length > 1 && args[0].equals("run") && args[1].equals("cpu")) CpuWorkload.calibrateInBackground();
        PrintWriter out = new PrintWriter(System.out, true), err = new PrintWriter(System.err, true);
        int code = run(out, err, args);
        out.flush();
        err.flush();
        // Success with nothing but daemon threads left ends as main returns, hooks run as on exit:
        // System.exit first asks every jar of the class path for a System.LoggerFinder (to log the
        // exit), which opens and reads them all
        if (code == 0 && onlyDaemonThreadsLeft()) return;
        System.exit(code);
    }

    private static boolean onlyDaemonThreadsLeft() {
        for (Thread t : Thread.getAllStackTraces().keySet())
            if (t != Thread.currentThread() && !t.isDaemon() && t.isAlive()) return false;
        return true;
    }

    /** Runs the command line with the given streams and returns the exit code (for tests). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return execute(commandLine(args), out, err, args);
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
            return bug(c.getErr(), c.getCommandSpec().qualifiedName(), ex);
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("railyard: " + cl.getCommandSpec().qualifiedName() + " ran out of memory (" + e.getMessage()
                    + "): give the JVM a larger heap (RAILYARD_JAVA_OPTS=-Xmx2g) or run less at once");
            return 1;
        } catch (Error e) { // picocli hands only exceptions to the handler above
            return bug(err, cl.getCommandSpec().qualifiedName(), e);
        }
    }

    /** What anything but a user's error or a failed workload is: a bug, with its stack trace and a request to report it. */
    private static int bug(PrintWriter err, String command, Throwable t) {
        err.println("railyard: " + command + " failed with an unexpected error, a bug in railyard:");
        t.printStackTrace(err);
        err.println("railyard: please report it, with the command line and the stack trace above, at " + ISSUES);
        return 1;
    }

    /**
     * The command line for {@code args}: the commands they name built whole, and at each level where
     * the next argument names no subcommand (help, a mistake), every subcommand as a summary.
     */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(command(""));
        addSubcommands(cl, "", args, 0);
        // picocli's own converter for a Path calls Paths.get by reflection (built for Java 5), which
        // spins method-handle classes at the first file option (crawl --out)
        cl.registerConverter(Path.class, Path::of);
        return cl;
    }

    private static void addSubcommands(CommandLine parent, String path, String[] args, int next) {
        List<String> names = subcommands(path);
        if (names.isEmpty()) return;
        String named = next < args.length && names.contains(args[next]) ? args[next] : null;
        if (named != null) {
            String sub = path(path, named);
            parent.addSubcommand(named, command(sub));
            addSubcommands(parent.getSubcommands().get(named), sub, args, next + 1);
            return;
        }
        for (String name : names) parent.addSubcommand(name, summary(path(path, name)));
    }

    /**
     * The command at {@code path} as picocli takes it: its model from {@link CommandSpecs}, or, for a
     * command that file does not hold (compare, or every command while the file is rewritten), its
     * class, whose annotations picocli reads.
     */
    private static Object command(String path) {
        CommandSpec spec = CommandSpecs.create(path);
        return spec != null ? spec : commandClass(path);
    }

    /** A command's name, description and hidden flag: what help lists. From {@link CommandSpecs}, else from its annotation. */
    static CommandSpec summary(String path) {
        CommandSpec summary = CommandSpecs.summary(path);
        return summary != null ? summary : annotatedSummary(path);
    }

    /** {@link #summary} read from the command's {@code @Command} annotation. */
    static CommandSpec annotatedSummary(String path) {
        Command c = commandClass(path).getAnnotation(Command.class);
        return summary(c.name(), c.hidden(), c.description());
    }

    /** A command's summary: a model with its name, description and hidden flag and nothing else. */
    static CommandSpec summary(String name, boolean hidden, String... description) {
        CommandSpec summary = CommandSpec.create().name(name);
        summary.usageMessage().description(description).hidden(hidden);
        return summary;
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
