package io.railyard.crawl;

import java.io.Serializable;

/**
 * How every fetch of a crawl behaves: who it says it is, how long it waits, how much of a page it
 * reads. Travels inside each task (to worker processes too), so it is a small serializable record.
 *
 * @param productToken   the crawler's name in robots.txt groups ({@code railyard})
 * @param userAgent      the User-Agent header
 * @param connectTimeoutMs how long a connect may take
 * @param readTimeoutMs  the longest silence while a response is awaited
 * @param maxPageBytes   a longer body is cut there and parsed as far as it goes
 */
public record FetchSettings(String productToken, String userAgent, int connectTimeoutMs, int readTimeoutMs,
                            int maxPageBytes) implements Serializable {

    /** robots.txt files longer than this are cut (RFC 9309 asks crawlers to read at least 500 KiB). */
    public static final int MAX_ROBOTS_BYTES = 512 * 1024;

    public FetchSettings {
        if (connectTimeoutMs < 1) throw new IllegalArgumentException("connect timeout must be at least 1 ms, was " + connectTimeoutMs);
        if (readTimeoutMs < 1) throw new IllegalArgumentException("read timeout must be at least 1 ms, was " + readTimeoutMs);
        if (maxPageBytes < 1) throw new IllegalArgumentException("page size cap must be at least 1 byte, was " + maxPageBytes);
    }

    /** railyard's name, 10 s to connect, 30 s of silence at most, pages cut at 4 MiB. */
    public static FetchSettings defaults() {
        return new FetchSettings("railyard", "railyard-crawl/0.1", 10_000, 30_000, 4 << 20);
    }

    public FetchSettings withTimeouts(int connectMs, int readMs) {
        return new FetchSettings(productToken, userAgent, connectMs, readMs, maxPageBytes);
    }

    public FetchSettings withMaxPageBytes(int max) {
        return new FetchSettings(productToken, userAgent, connectTimeoutMs, readTimeoutMs, max);
    }
}
