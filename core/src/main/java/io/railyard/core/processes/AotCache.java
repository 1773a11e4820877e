package io.railyard.core.processes;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The JDK's AOT cache (JEP 483, created in one step as of JEP 514) for a pool's worker JVMs: classes
 * loaded and linked, and method profiles, from a previous run, so a worker reaches Ready sooner
 * (ProcessesBenchmark measures its start-up; figures in docs/measurements.md).
 *
 * <p>The JVM archives classes from jar files only, so the cache is used when every classpath entry
 * is a jar (the launcher's {@code cli/target/lib/} jars, or {@code railyard.jar}; not a build's
 * {@code target/classes}). It lives in {@code ~/.cache/railyard/aot} (mode 0700: a cache is code, so no other user may plant one) under
 * a name that hashes the JDK, the worker flags and every jar's path, size and modification time,
 * so any change makes a new cache. When it is missing, the first worker of the pool trains it
 * ({@code -XX:AOTCacheOutput}): the JVM writes the cache when that worker exits normally (the
 * pool's close takes a second or two longer, once), into a temporary file moved into place
 * atomically; concurrent trainers just race to the same valid result.
 *
 * <p>The name leaves out the heap's sizes ({@code -Xmx}, {@code -Xms}, {@code -Xmn}, {@code -XX:MaxRAM...}):
 * a cache fits a JVM of any heap size, and a pool under a memory budget sizes its workers' heaps by
 * the budget, so each budget would otherwise need a cache of its own.
 *
 * <p>Pool option {@code aotCache}: {@code auto} (the default), {@code existing} (use a cache if one
 * was trained, never train: a training worker records as it runs, and at its exit its JVM starts
 * another that assembles the cache, ~100 MB more than a worker, which a pool under a memory budget
 * has no room for), {@code off}, or a directory to keep caches in. Off as well when the user's JVM
 * flags choose their own CDS or AOT archive.
 *
 * <p>Thread-safe: slot threads ask for flags concurrently; one of them gets the training flags.
 */
final class AotCache {
    private static final String LOG_OFF = "-Xlog:aot*=off"; // a stale cache is skipped silently
    /** Caches kept per directory: every rebuilt jar makes a new one (~14 MB), the oldest go. */
    static final int KEEP = 8;

    /** Option {@code aotCache}'s value that uses a cache but never trains one. */
    static final String EXISTING = "existing";

    private final Path cache;
    private final boolean mayTrain;
    private final AtomicBoolean trainerChosen = new AtomicBoolean();

    private AotCache(Path cache, boolean mayTrain) {
        this.cache = cache;
        this.mayTrain = mayTrain;
    }

    /** No cache: the classpath has directories, the option is off, or the user chose an archive. */
    static AotCache none() {
        return new AotCache(null, false);
    }

    /** The cache for workers started with {@code flags} on {@code classPath} (the workers' entries), per {@code option}. */
    static AotCache plan(String option, List<String> flags, List<String> classPath) {
        if (option.equals("off")) return none();
        boolean inHome = option.equals("auto") || option.equals(EXISTING);
        Path dir = inHome ? Path.of(System.getProperty("user.home"), ".cache", "railyard", "aot") : Path.of(option);
        return plan(dir, !option.equals(EXISTING), flags, classPath);
    }

    /** The cache in {@code dir}, trained by the first worker that finds none when {@code mayTrain}. */
    static AotCache plan(Path dir, boolean mayTrain, List<String> flags, List<String> classPath) {
        for (String f : flags)
            if (f.startsWith("-XX:AOT") || f.startsWith("-Xshare") || f.startsWith("-XX:SharedArchiveFile")
                    || f.contains("ArchiveClassesAtExit")) return none();
        List<Path> jars = new ArrayList<>();
        for (String entry : classPath) {
            Path p = Path.of(entry).toAbsolutePath();
            if (!entry.endsWith(".jar") || !Files.isRegularFile(p)) return none();
            jars.add(p);
        }
        if (jars.isEmpty()) return none();
        try {
            Files.createDirectories(dir.getParent() == null ? dir : dir.getParent());
            if (!Files.isDirectory(dir))
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return new AotCache(dir.resolve("worker-" + key(flags, jars) + ".aot"), mayTrain);
        } catch (IOException | RuntimeException e) {
            return none(); // no writable cache directory: workers just start without one
        }
    }

    /**
     * 64 bits of checksum of what makes a cache: not a cryptographic hash, because the key only
     * tells configurations apart (the JVM itself refuses a cache that does not fit its classpath and
     * flags), and a message digest's first use loads the security providers (~ms of a pool's open).
     */
    static String key(List<String> flags, List<Path> jars) throws IOException {
        StringBuilder s = new StringBuilder(System.getProperty("java.home")).append('\n')
                .append(System.getProperty("java.vm.version")).append('\n');
        for (String f : flags) if (!isHeapSize(f)) s.append(f).append(' ');
        s.append('\n');
        for (Path jar : jars)
            s.append(jar).append(' ').append(Files.size(jar)).append(' ').append(Files.getLastModifiedTime(jar).toMillis()).append('\n');
        byte[] bytes = s.toString().getBytes(StandardCharsets.UTF_8);
        java.util.zip.CRC32C forward = new java.util.zip.CRC32C();
        forward.update(bytes);
        java.util.zip.CRC32C backward = new java.util.zip.CRC32C();
        for (int i = bytes.length - 1; i >= 0; i--) backward.update(bytes[i]);
        return String.format("%08x%08x%08x", forward.getValue(), backward.getValue(), bytes.length);
    }

    /** Whether {@code flag} sizes the heap: a cache fits a JVM of any heap size. */
    static boolean isHeapSize(String flag) {
        return flag.startsWith("-Xmx") || flag.startsWith("-Xms") || flag.startsWith("-Xmn") || flag.startsWith("-XX:MaxRAM")
                || flag.startsWith("-XX:InitialRAMPercentage=") || flag.startsWith("-XX:MinRAMPercentage=")
                || flag.startsWith("-XX:MaxHeapSize=") || flag.startsWith("-XX:InitialHeapSize=") || flag.startsWith("-XX:MinHeapSize=")
                || flag.startsWith("-XX:NewSize=") || flag.startsWith("-XX:MaxNewSize=");
    }

    /** The cache file, or {@code null} when workers start without one. */
    Path file() {
        return cache;
    }

    /**
     * Flags for the next worker: use the cache if it exists; else the first caller trains it. The
     * returned {@link Training} (or {@code null}) must be told when the worker's process exists.
     */
    Training next(List<String> flagsOut) {
        if (cache == null) return null;
        flagsOut.add(LOG_OFF);
        if (Files.isRegularFile(cache)) {
            flagsOut.add("-XX:AOTCache=" + cache);
            return null;
        }
        if (!mayTrain || !trainerChosen.compareAndSet(false, true)) return null;
        Path tmp = cache.resolveSibling(cache.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        flagsOut.add("-XX:AOTCacheOutput=" + tmp);
        return new Training(tmp);
    }

    /** One training worker: when its process exits, publish what it wrote, or clean up. */
    final class Training {
        private final Path tmp;

        private Training(Path tmp) {
            this.tmp = tmp;
        }

        /** Publishes (or cleans up) when {@code trainer} exits; the returned stage completes after that. */
        CompletableFuture<Void> watch(Process trainer) {
            return trainer.onExit().thenRun(() -> {
                try {
                    if (trainer.exitValue() == 0 && Files.isRegularFile(tmp) && Files.size(tmp) > 0) {
                        Files.move(tmp, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                        prune(cache.getParent());
                    } else {
                        trainerChosen.set(false); // killed before writing: a later worker may train
                    }
                } catch (IOException e) {
                    trainerChosen.set(false);
                } finally {
                    try {
                        Files.deleteIfExists(tmp);
                        Files.deleteIfExists(tmp.resolveSibling(tmp.getFileName() + ".config"));
                    } catch (IOException ignored) {
                        // a stray temporary file costs only disk space; the next training replaces it
                    }
                }
            });
        }
    }

    /** A training's temporary files older than this were left by a parent that died mid-training. */
    static final long STRAY_TEMP_MILLIS = 3_600_000L;

    /**
     * Deletes all but the {@link #KEEP} most recently written worker caches in {@code dir}, and the
     * temporary files of trainings whose parent died before it could clean up (older than an hour).
     */
    static void prune(Path dir) throws IOException {
        List<Path> caches;
        long now = System.currentTimeMillis();
        try (var files = Files.list(dir)) {
            for (Path p : files.filter(p -> p.getFileName().toString().matches("worker-[0-9a-f]+\\.aot\\..*\\.tmp(\\.config)?")).toList()) {
                if (now - Files.getLastModifiedTime(p).toMillis() > STRAY_TEMP_MILLIS) Files.deleteIfExists(p);
            }
        }
        try (var files = Files.list(dir)) {
            caches = new ArrayList<>(files.filter(p -> p.getFileName().toString().matches("worker-[0-9a-f]+\\.aot")).toList());
        }
        if (caches.size() <= KEEP) return;
        caches.sort(Comparator.comparing((Path p) -> {
            try {
                return Files.getLastModifiedTime(p).toMillis();
            } catch (IOException e) {
                return 0L;
            }
        }).reversed());
        for (Path old : caches.subList(KEEP, caches.size())) Files.deleteIfExists(old);
    }
}
