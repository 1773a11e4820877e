package io.railyard.crawl;

import io.railyard.core.AsyncTask;
import io.railyard.core.TaskContext;
import io.railyard.loop.LoopHttpClient;
import io.railyard.loop.LoopHttpProxy;
import io.railyard.loop.LoopHttpRequest;
import io.railyard.loop.LoopHttpResponse;
import io.railyard.loop.LoopPrimitives;

import java.net.URI;
import java.util.concurrent.CompletionStage;

/**
 * One fetch and parse on the {@code loop} model. The request goes out on the loop's non-blocking
 * {@link LoopHttpClient} (the crawl's request headers, its proxy); when the whole answer is in, the
 * decoding and the parse (CPU work: a few hundred microseconds for a cold JIT) leave the loop for
 * its helper threads ({@code toThread}, asyncio's {@code to_thread}), so the one loop thread only
 * moves bytes and the machine's other cores parse. That is the difference with asyncio, whose parse
 * would hold the GIL either way. Never blocks; never throws for network errors (they become
 * {@link Fetched.Failed}).
 *
 * @param request built off the loop by {@link #of}, with the kind's wire cap as its body limit
 */
public record AsyncFetchTask(String url, FetchKind kind, FetchSettings settings, LoopHttpRequest request) implements AsyncTask<Fetched> {

    /** The task for {@code url} (normalised); builds and encodes the request on the calling thread. */
    public static AsyncFetchTask of(String url, FetchKind kind, FetchSettings settings) {
        URI uri = URI.create(url);
        LoopHttpRequest request = LoopHttpRequest.of("GET", uri, settings.requestHeaders(), new byte[0])
                .withBodyLimit(Fetches.wireLimit(kind, settings));
        if (settings.proxies().any()) {
            ProxySettings.Route r = settings.proxies().routeFor(uri.getScheme(), uri.getHost());
            if (r != null) request = request.via(new LoopHttpProxy(r.host(), r.port(), r.authorization()));
        }
        return new AsyncFetchTask(url, kind, settings, request);
    }

    @Override
    public CompletionStage<Fetched> start(TaskContext ctx) {
        LoopPrimitives primitives = ctx.facility(LoopPrimitives.class);
        long start = System.nanoTime();
        return ctx.facility(LoopHttpClient.class).send(request)
                .thenCompose(r -> {
                    long took = System.nanoTime() - start;
                    return primitives.toThread(() -> answer(r, took));
                })
                .exceptionally(Fetches::failure);
    }

    private Fetched answer(LoopHttpResponse r, long fetchNanos) {
        return Fetches.answer(url, kind, settings, new HttpAnswer(r.status(), r.header("content-type"), r.header("content-encoding"),
                r.header("location"), r.header("retry-after"), r.headers("x-robots-tag"), r.body(), r.truncated(), fetchNanos));
    }
}
