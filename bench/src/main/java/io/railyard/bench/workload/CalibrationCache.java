package io.railyard.bench.workload;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Serial task times measured earlier on this machine with this JDK and JIT, so that a fresh
 * {@code railyard run cpu} need not spend a quarter of its wall time measuring again the limit it
 * prints (docs/startup.md). One line per key in {@code <railyard.home>/.railyard/calibration.tsv}:
 * {@code key<TAB>seconds<TAB>epoch millis}. The key names the task, the JDK's version, the JIT flags,
 * the processor model and the cores; an entry older than {@link #MAX_AGE_MILLIS} is measured again.
 * Without the {@code railyard.home} property (set by the launcher) there is no cache: a library
 * user, a test, always measures.
 *
 * <p>Written whole (temp file, then move); a file that cannot be read or written is no cache.
 * Not thread-safe: one harness thread.
 */
final class CalibrationCache {
    private CalibrationCache() {}

    /** A day: a calibration is re-measured at least daily, so a drift of the machine shows. */
    static final long MAX_AGE_MILLIS = 24 * 3600 * 1000L;

    /** An earlier measurement: seconds, and when. */
    record Entry(double seconds, long atMillis) {}

    private static Path file() {
        String home = System.getProperty("railyard.home");
        return home == null ? null : Path.of(home, ".railyard", "calibration.tsv");
    }

    /** What makes a time comparable: the task, the JDK, the JIT flags, the processor and the cores. */
    static String key(String task) {
        StringBuilder flags = new StringBuilder();
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments())
            if (a.startsWith("-XX:TieredStopAtLevel") || a.startsWith("-XX:CompileThresholdScaling") || a.equals("-Xint")
                    || a.startsWith("-XX:-TieredCompilation")) flags.append(a).append(' ');
        return (task + " | java " + Runtime.version() + " | " + flags.toString().strip() + " | " + cpuModel()
                + " | " + Runtime.getRuntime().availableProcessors() + " cores").replace('\t', ' ');
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo")))
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).strip();
        } catch (IOException | RuntimeException ignored) {
            // not Linux: the cores and the JDK still tell machines apart
        }
        return System.getProperty("os.arch");
    }

    /** The entry for {@code key} if there is a fresh one. */
    static Optional<Entry> lookup(String key) {
        Path f = file();
        if (f == null || !Files.isReadable(f)) return Optional.empty();
        try {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                String[] p = line.split("\t");
                if (p.length != 3 || !p[0].equals(key)) continue;
                Entry e = new Entry(Double.parseDouble(p[1]), Long.parseLong(p[2]));
                long age = System.currentTimeMillis() - e.atMillis();
                return age >= 0 && age < MAX_AGE_MILLIS && e.seconds() > 0 ? Optional.of(e) : Optional.empty();
            }
        } catch (IOException | RuntimeException ignored) {
            // unreadable or damaged: measure, and the store below rewrites it
        }
        return Optional.empty();
    }

    /** Keeps {@code seconds} for {@code key}, replacing an older entry. */
    static void store(String key, double seconds) {
        Path f = file();
        if (f == null) return;
        try {
            Files.createDirectories(f.getParent());
            List<String> lines = new ArrayList<>();
            if (Files.isReadable(f))
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) if (!line.startsWith(key + "\t")) lines.add(line);
            lines.add(key + "\t" + seconds + "\t" + System.currentTimeMillis());
            Path tmp = Files.createTempFile(f.getParent(), ".calibration", ".tmp");
            try {
                Files.write(tmp, lines, StandardCharsets.UTF_8);
                Files.move(tmp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException | RuntimeException ignored) {
            // no cache this time: the next run measures again
        }
    }
}
