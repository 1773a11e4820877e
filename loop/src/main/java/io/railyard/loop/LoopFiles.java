package io.railyard.loop;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;

/**
 * File reads and writes for loop tasks, without blocking the loop. Linux offers no portable
 * non-blocking IO on regular files (epoll does not apply to them), so, like asyncio's
 * {@code to_thread} and aiofiles, each operation runs on the loop's helper pool and its future
 * completes back on the loop. A facility of {@link LoopPool}: {@code ctx.facility(LoopFiles.class)}.
 *
 * <p>{@link #write} is atomic: it writes a temporary file beside the target and moves it into place,
 * so a reader never sees half a file.
 *
 * <p>Thread-safe: callable from any thread; futures complete on the loop.
 */
public final class LoopFiles {

    private final Loop loop;

    LoopFiles(Loop loop) {
        this.loop = loop;
    }

    public CompletableFuture<byte[]> read(Path file) {
        return loop.offload(() -> Files.readAllBytes(file));
    }

    public CompletableFuture<String> readString(Path file) {
        return loop.offload(() -> Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Replaces the file's content atomically (temporary file, then move). */
    public CompletableFuture<Void> write(Path file, byte[] content) {
        return loop.offload(() -> {
            Path dir = file.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.write(tmp, content);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return null;
        });
    }

    public CompletableFuture<Void> writeString(Path file, String content) {
        return write(file, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Appends to the file, creating it if needed. */
    public CompletableFuture<Void> append(Path file, byte[] content) {
        return loop.offload(() -> {
            Files.write(file, content, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            return null;
        });
    }
}
