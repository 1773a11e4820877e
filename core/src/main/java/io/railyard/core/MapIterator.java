package io.railyard.core;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The results of {@link TaskPool#map} / {@link TaskPool#mapUnordered}: an iterator that submits
 * inputs lazily, in chunks, keeping at most the prefetch window in flight. {@link #close()} cancels
 * what is still in flight; a failed task surfaces as {@link TaskFailedException} from
 * {@link #next()}, after which the iteration is over and the rest is cancelled.
 *
 * <p>Use it as an iterator or, once, in a for-each loop. Not thread-safe: one consumer thread iterates (as with any iterator). The pool's workers only
 * touch the internal completion queue, which is thread-safe.
 */
public final class MapIterator<O> implements Iterator<O>, Iterable<O>, AutoCloseable {

    /** A submitted chunk: its future and the index of its first input. */
    private record Chunk<O>(TaskFuture<List<O>> future, long firstIndex) {}

    private final TaskPool pool;
    private final Iterator<?> inputs;
    private final TaskFunction<Object, O> fn;
    private final int chunk;
    private final int windowChunks;
    private final Duration timeout;
    private final boolean ordered;

    /** In flight, in submission order (ordered mode) or in any order (unordered: used to cancel). */
    private final ArrayDeque<Chunk<O>> inFlight = new ArrayDeque<>();
    /** Unordered mode only: chunks whose future completed, in completion order. */
    private final LinkedBlockingQueue<Chunk<O>> completed = new LinkedBlockingQueue<>();

    private Iterator<O> current = Collections.emptyIterator();
    private long nextInputIndex;
    private boolean finished;
    private boolean iterated;

    @SuppressWarnings("unchecked")
    private MapIterator(TaskPool pool, Iterator<?> inputs, TaskFunction<?, ? extends O> fn, MapOptions options, boolean ordered) {
        this.pool = pool;
        this.inputs = inputs;
        this.fn = (TaskFunction<Object, O>) fn;
        this.chunk = options.chunk();
        int prefetchInputs = options.prefetch() > 0 ? options.prefetch() : 2 * pool.concurrency() * options.chunk();
        this.windowChunks = Math.max(1, prefetchInputs / options.chunk());
        this.timeout = options.timeout();
        this.ordered = ordered;
    }

    static <I, O> MapIterator<O> ordered(TaskPool pool, Iterator<? extends I> inputs, TaskFunction<? super I, ? extends O> fn, MapOptions options) {
        return new MapIterator<>(pool, inputs, fn, options, true);
    }

    static <I, O> MapIterator<O> unordered(TaskPool pool, Iterator<? extends I> inputs, TaskFunction<? super I, ? extends O> fn, MapOptions options) {
        return new MapIterator<>(pool, inputs, fn, options, false);
    }

    /** How many chunks are submitted and not yet handed to the caller. Never above the window. */
    public int inFlightChunks() {
        return inFlight.size();
    }

    @Override
    public boolean hasNext() {
        while (!current.hasNext()) {
            if (finished) return false;
            topUp();
            if (inFlight.isEmpty()) {
                finished = true;
                return false;
            }
            current = takeNextChunk().iterator();
        }
        return true;
    }

    @Override
    public O next() {
        if (!hasNext()) throw new NoSuchElementException();
        return current.next();
    }

    /**
     * This iterator, so that a for-each loop can consume the results once (like
     * {@link java.nio.file.DirectoryStream}); a second call throws.
     */
    @Override
    public Iterator<O> iterator() {
        if (iterated) throw new IllegalStateException("a map's results can be iterated only once");
        iterated = true;
        return this;
    }

    /** The remaining results as a sequential stream; closing the stream closes this iterator. */
    public Stream<O> stream() {
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(this, Spliterator.ORDERED), false)
                .onClose(this::close);
    }

    /** Cancels every chunk still in flight and ends the iteration. Idempotent. */
    @Override
    public void close() {
        finished = true;
        current = Collections.emptyIterator();
        for (Chunk<O> c : inFlight) c.future().cancel(true);
        inFlight.clear();
        completed.clear();
    }

    private void topUp() {
        while (inFlight.size() < windowChunks && inputs.hasNext()) {
            List<Object> batch = new ArrayList<>(chunk);
            long first = nextInputIndex;
            while (batch.size() < chunk && inputs.hasNext()) batch.add(inputs.next());
            nextInputIndex += batch.size();
            TaskFuture<List<O>> f = pool.submit(new ChunkTask<>(fn, batch), timeout);
            Chunk<O> c = new Chunk<>(f, first);
            inFlight.add(c);
            if (!ordered) f.whenComplete((v, e) -> completed.add(c));
        }
    }

    private List<O> takeNextChunk() {
        Chunk<O> c;
        try {
            if (ordered) {
                c = inFlight.peekFirst();
                c.future().get();
            } else {
                c = completed.take();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new CancellationException("interrupted while waiting for a map result");
        } catch (ExecutionException | CancellationException e) {
            c = inFlight.peekFirst(); // ordered mode: the head failed
            return fail(c, e instanceof ExecutionException ? e.getCause() : e);
        }
        inFlight.remove(c);
        try {
            return c.future().getNow(null);
        } catch (RuntimeException e) {
            return fail(c, e.getCause() != null ? e.getCause() : e);
        }
    }

    private List<O> fail(Chunk<O> c, Throwable cause) {
        close();
        throw new TaskFailedException(c.firstIndex(), cause);
    }
}
