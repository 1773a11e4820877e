package io.railyard.bench.report;

import io.railyard.bench.compare.CompareResult;
import io.railyard.bench.harness.ResultsJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Writes a comparison's report directory: {@code index.html}, {@code results.json},
 * {@code results.csv}, {@code trials.csv}. Every file is written into a temp directory inside the
 * report directory first and then moved into place, so a failure leaves no half-written file and
 * the previous report intact. Stateless.
 */
public final class ReportFiles {
    private ReportFiles() {}

    /**
     * Checks before any work that {@code dir} can be created and written.
     *
     * @throws IllegalArgumentException naming the directory and what is wrong
     */
    public static void checkWritable(Path dir) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".railyard-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("cannot write the report directory '" + dir + "' (" + why(e)
                    + "): choose another with --report DIR");
        }
    }

    /** Same check for a file's directory (for --json FILE). */
    public static void checkWritableFile(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        try {
            if (Files.isDirectory(file)) throw new IOException("it is a directory");
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".railyard-probe", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new IllegalArgumentException("cannot write '" + file + "' (" + why(e) + "): choose another --json FILE");
        }
    }

    private static String why(Exception e) {
        if (e instanceof AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** Writes all report files for {@code r} into {@code dir}; returns index.html's path. */
    public static Path write(Path dir, CompareResult r) throws IOException {
        Files.createDirectories(dir);
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put("index.html", HtmlReport.render(r));
        texts.put("results.csv", CsvTables.table(r));
        texts.put("trials.csv", CsvTables.trials(r));
        Path tmp = Files.createTempDirectory(dir, ".railyard-report-");
        try {
            ResultsJson.MAPPER.writeValue(tmp.resolve("results.json").toFile(), r);
            for (Map.Entry<String, String> e : texts.entrySet())
                Files.writeString(tmp.resolve(e.getKey()), e.getValue(), StandardCharsets.UTF_8);
            // results.json first and index.html last: a reader that sees the new page sees its data
            for (String name : new String[]{"results.json", "results.csv", "trials.csv", "index.html"})
                Files.move(tmp.resolve(name), dir.resolve(name), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            try (Stream<Path> left = Files.walk(tmp)) {
                for (Path p : left.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
        return dir.resolve("index.html");
    }
}
