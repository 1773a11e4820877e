package io.railyard.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Docs, the README, sources, scripts and poms describe what the code does now: none of them names
 * a numbered work period (a session, period or stop followed by its number), because a reader
 * cannot know what such a number refers to, and that history lives in git. Reads the whole source
 * tree from the project root (this test runs in the cli module, the one that sees every other).
 */
class NoWorkPeriodsTest {

    /**
     * A work period with its number. A period or stop followed by a unit ("a period of 50 ms",
     * "period 2 s") is a duration, not a numbered period.
     */
    static final Pattern NUMBERED_PERIOD = Pattern.compile(
            "\\b(sessions?|periods?|stops?)[ _-]?#?\\d+\\b(?![.,]\\d)(?!\\s*(ns|us|µs|ms|s|sec|seconds?|min|minutes?|h|hours?|%|x)\\b)",
            Pattern.CASE_INSENSITIVE);

    /** Folders that hold no project text: build output, VCS data, caches, generated reports. */
    private static final Set<String> SKIPPED_DIRS = Set.of("target", "node_modules", "report");

    /** Text a person writes; everything else (jars, images, generated or vendored files) is skipped. */
    private static final Pattern TEXT_FILE = Pattern.compile(
            ".*\\.(java|md|xml|properties|py|sh|txt|html|css|yml|yaml|json|cfg|conf)$|railyard|mvnw|allow|processes-allow");

    static Path projectRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !(Files.exists(p.resolve("railyard")) && Files.exists(p.resolve("pom.xml")))) p = p.getParent();
        assertNotNull(p, "the project root (the railyard launcher beside the parent pom) is above " + Path.of("").toAbsolutePath());
        return p;
    }

    /** Every project text file under {@code root}, skipping hidden folders and {@link #SKIPPED_DIRS}. */
    static List<Path> projectTexts(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile)
                    .filter(f -> {
                        Path rel = root.relativize(f);
                        for (int i = 0; i < rel.getNameCount() - 1; i++) {
                            String dir = rel.getName(i).toString();
                            if (dir.startsWith(".") || SKIPPED_DIRS.contains(dir)) return false;
                        }
                        return TEXT_FILE.matcher(f.getFileName().toString()).matches();
                    })
                    .forEach(files::add);
        }
        return files;
    }

    /** Each line of {@code text} that names a numbered work period, as {@code name:line: text}. */
    static List<String> findings(String name, String text) {
        List<String> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            Matcher m = NUMBERED_PERIOD.matcher(lines[i]);
            if (m.find()) out.add(name + ":" + (i + 1) + ": " + lines[i].strip());
        }
        return out;
    }

    @Test
    void noDocReadmeOrSourceNamesANumberedWorkPeriod() throws IOException {
        Path root = projectRoot();
        List<Path> files = projectTexts(root);
        assertTrue(files.contains(root.resolve("README.md")), "the README is read");
        assertTrue(files.stream().anyMatch(f -> f.startsWith(root.resolve("docs"))), "docs/ is read");
        assertTrue(files.stream().anyMatch(f -> f.startsWith(root.resolve("core/src/main/java"))), "core's sources are read");
        List<String> found = new ArrayList<>();
        for (Path f : files) {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(f))).toString();
            } catch (CharacterCodingException notText) {
                continue;
            }
            found.addAll(findings(root.relativize(f).toString(), text));
        }
        assertTrue(found.isEmpty(), "numbered work periods in the docs or sources (say what the code does now; "
                + "history lives in git; figures go to docs/measurements.md with their date):\n  " + String.join("\n  ", found));
    }

    @Test
    void thePatternCatchesNumberedPeriodsAndLeavesDurationsAlone() {
        // the words spelled apart, so that this file does not name a numbered period itself
        String sess = "sess" + "ion", period = "peri" + "od", stop = "st" + "op";
        for (String bad : List.of(sess + " 13", "| " + sess + "s 12 and 13 |", "found by " + period + " 4",
                "Measured in " + sess + " 13 on this machine", stop + " 7", sess.toUpperCase() + " 2", sess + "-11"))
            assertEquals(1, findings("x", bad).size(), bad);
        for (String fine : List.of("a decision period (0.25 s)", "the period 50 ms", "every period 2 s",
                "stop 5 s later", "a " + sess + " of work", "periods of 250 ms", "the lag probe's period is 25",
                "stop at 3", "HTTP sessions", "period 0.25 s"))
            assertEquals(List.of(), findings("x", fine), fine);
    }
}
