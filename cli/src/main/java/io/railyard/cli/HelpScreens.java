package io.railyard.cli;

import picocli.CommandLine.Help.Ansi;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Every command's help screen, rendered by picocli when the cli module is built and printed from the
 * jar when a user asks for it, so that {@code railyard run --help} costs a JVM's start and one read,
 * not picocli's model of the command (built by reflection over its options: most of a help's time).
 *
 * <p>The build ({@code process-classes}, cli/pom.xml) runs {@link #main} with the directory of the
 * module's classes: for each command path ({@code ""}, {@code "run"}, {@code "run cpu"}...) it runs
 * {@code railyard PATH --help} through {@link Main#run}, exactly as a user's command would, once
 * without and once with ANSI styles, and writes the two outputs to
 * {@code io/railyard/cli/help/PATH.txt} and {@code PATH.ansi.txt}. At run time {@link #print} answers
 * only the plain form {@code railyard [COMMAND...] -h|--help}, choosing the styled text by picocli's
 * own rule ({@code Ansi.AUTO}: a terminal, {@code NO_COLOR}, {@code CLICOLOR}, {@code picocli.ansi}),
 * and leaves anything else (a help flag among other options, a usage width set with
 * {@code picocli.usage.width}, a build without the screens) to picocli. {@code HelpScreensTest}
 * checks that each screen is the text picocli prints. Stateless; thread-safe.
 */
public final class HelpScreens {
    private static final String DIR = "help/";

    private HelpScreens() {}

    /**
     * Prints the stored help screen {@code args} ask for and returns true, or returns false (nothing
     * printed) when they are not a command path followed by one help flag or no screen is stored.
     */
    static boolean print(String[] args, PrintStream out) {
        String path = helpPath(args);
        // the screens were rendered 80 columns wide with "\n" line ends: any other wish goes to picocli
        if (path == null || System.getProperty("picocli.usage.width") != null || !System.lineSeparator().equals("\n")) return false;
        String screen = read(path, Ansi.AUTO.enabled());
        if (screen == null) return false;
        out.print(screen);
        out.flush();
        return true;
    }

    /** The command path ({@code "run cpu"}) when {@code args} are one followed by -h or --help; else null. */
    static String helpPath(String[] args) {
        if (args.length == 0 || !(args[args.length - 1].equals("--help") || args[args.length - 1].equals("-h"))) return null;
        String path = "";
        for (int i = 0; i < args.length - 1; i++) {
            if (!Main.subcommands(path).contains(args[i])) return null;
            path = Main.path(path, args[i]);
        }
        return path;
    }

    /** Every command path, the top level ({@code ""}) first; hidden commands (no help option) left out. */
    static List<String> paths() {
        List<String> paths = new ArrayList<>();
        addPaths("", paths);
        return paths;
    }

    private static void addPaths(String path, List<String> into) {
        if (!path.isEmpty() && Main.summary(path).usageMessage().hidden()) return;
        into.add(path);
        for (String sub : Main.subcommands(path)) addPaths(Main.path(path, sub), into);
    }

    /** The file a path's screen is kept in: {@code "railyard.txt"}, {@code "run-cpu.ansi.txt"}. */
    static String fileName(String path, boolean ansi) {
        return (path.isEmpty() ? "railyard" : path.replace(' ', '-')) + (ansi ? ".ansi.txt" : ".txt");
    }

    /** What picocli prints for {@code railyard PATH --help}, with ANSI styles or without. */
    static String render(String path, boolean ansi) {
        List<String> args = new ArrayList<>(path.isEmpty() ? List.of() : Arrays.asList(path.split(" ")));
        args.add("--help");
        String before = System.getProperty("picocli.ansi");
        System.setProperty("picocli.ansi", Boolean.toString(ansi));
        try {
            StringWriter out = new StringWriter(), err = new StringWriter();
            int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
            if (code != 0 || !err.toString().isEmpty())
                throw new IllegalStateException("railyard " + String.join(" ", args) + " exited " + code + ": " + err);
            return out.toString();
        } finally {
            if (before == null) System.clearProperty("picocli.ansi");
            else System.setProperty("picocli.ansi", before);
        }
    }

    /** A path's stored screen, or null when the build stored none. */
    static String read(String path, boolean ansi) {
        try (InputStream in = HelpScreens.class.getResourceAsStream(DIR + fileName(path, ansi))) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null; // an unreadable screen: picocli renders it
        }
    }

    /** The build's step: writes every screen under {@code args[0]} (the module's classes directory). */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) throw new IllegalArgumentException("usage: HelpScreens CLASSES_DIRECTORY");
        Path dir = Path.of(args[0]).resolve(HelpScreens.class.getPackageName().replace('.', '/')).resolve(DIR);
        Files.createDirectories(dir);
        for (String path : paths())
            for (boolean ansi : new boolean[]{false, true})
                Files.writeString(dir.resolve(fileName(path, ansi)), render(path, ansi), StandardCharsets.UTF_8);
    }
}
