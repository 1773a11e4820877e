package io.railyard.crawl;

import io.railyard.core.AsyncTask;
import io.railyard.core.TaskContext;
import io.railyard.loop.LoopHttpClient;
import io.railyard.loop.LoopHttpRequest;
import io.railyard.loop.LoopHttpResponse;
import io.railyard.loop.LoopPrimitives;

import java.net.URI;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * One fetch and parse on the {@code loop} model. The request goes out on the loop's non-blocking
 * {@link LoopHttpClient}; when the whole answer is in, the parse (CPU work: a few hundred
 * microseconds for a cold JIT) leaves the loop for its helper threads ({@code toThread}, asyncio's
 * {@code to_thread}), so the one loop thread only moves bytes and the machine's other cores parse.
 * That is the difference with asyncio, whose parse would hold the GIL either way. Never blocks; never
 * throws for network errors (they become {@link Fetched.Failed}).
 *
 * @param request built off the loop by {@link #of}, with the page-size cap as its body limit
 */
public record AsyncFetchTask(String url, boolean robots, LoopHttpRequest request) implements AsyncTask<Fetched> {

    /** The task for {@code url} (normalised); builds and encodes the request on the calling thread. */
    public static AsyncFetchTask of(String url, boolean robots, FetchSettings settings) {
        LoopHttpRequest request = LoopHttpRequest.of("GET", URI.create(url),
                        Map.of("User-Agent", settings.userAgent(), "Accept", "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"), new byte[0])
                .withBodyLimit(robots ? FetchSettings.MAX_ROBOTS_BYTES : settings.maxPageBytes());
        return new AsyncFetchTask(url, robots, request);
    }

    @Override
    public CompletionStage<Fetched> start(TaskContext ctx) {
        LoopPrimitives primitives = ctx.facility(LoopPrimitives.class);
        return ctx.facility(LoopHttpClient.class).send(request)
                .thenCompose(r -> primitives.toThread(() -> answer(r)))
                .exceptionally(Fetches::failure);
    }

    private Fetched answer(LoopHttpResponse r) {
        return Fetches.answer(url, robots, r.status(), r.header("content-type"), r.header("location"),
                r.header("retry-after"), r.body(), r.truncated());
    }
}
