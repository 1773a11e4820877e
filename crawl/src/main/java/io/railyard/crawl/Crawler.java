package io.railyard.crawl;

import io.railyard.core.OverloadFeedback;
import io.railyard.core.SingleEventLoop;
import io.railyard.core.TaskFuture;
import io.railyard.core.TaskPool;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The crawl's coordinator: decides what to fetch next and records what came back, on any model.
 * The fetching and parsing happen in tasks on the pool ({@link AsyncFetchTask} on {@code loop},
 * {@link FetchTask} elsewhere); everything else (which URLs were seen, their depth, the per-origin
 * queues, caps, delays, robots.txt, retries, the output file) is state of this one thread.
 *
 * <pre>
 *   seeds, held records (resume)
 *        |  offer(url, depth)            relaxes depths: a shorter path found later still counts
 *        v
 *   origin queues (by depth) --runnable origins: under --per-host, delay passed, robots known-->
 *        |                                                               dispatch (<= C in flight)
 *        |                                                                     | pool.submit(task)
 *        |                                                                     v
 *        |        completions (LinkedBlockingQueue) <--whenComplete-- worker / loop / worker JVM
 *        |              |                                                fetch + parse
 *        v              v  coordinator thread (the caller of run)
 *   retry timers <-- failed, retryable        page: write block, offer its links at depth + 1
 *                                              redirect: record, offer the target at the same depth
 *                                              error / not HTML: record
 * </pre>
 *
 * <h2>Depth and determinism</h2>
 * A URL's depth is its shortest link distance from a seed among the pages fetched (a redirect costs
 * nothing). Pages are dispatched shallowest first, but completions arrive in any order, so a page may
 * be found deep before it is found shallow; {@link #offer} then lowers its depth and, if it was
 * already fetched, lowers its links' depths in turn, which may bring them within {@code --depth}.
 * So the set of pages fetched is that of a breadth-first crawl, whatever the timing (unless
 * {@code --max-pages} cuts it short). The same relaxation rebuilds the frontier on resume: held
 * pages are marked done with their links, the seeds are offered at depth 0, and every link of a
 * held page that is within depth and not held becomes queued.
 *
 * <h2>A URL's life</h2>
 * <pre>
 *   KNOWN --within depth, followable--> QUEUED --dispatched--> FETCHING --record written--> DONE
 *     ^          (offsite, too deep: stays KNOWN)  |  ^               |
 *     +---------- --max-pages reached -------------+  +-- WAITING <---+ failed, retryable (backoff)
 *                                                  +--robots.txt disallows--> DISALLOWED
 * </pre>
 * An origin's robots.txt: NEEDED --dispatched--> FETCHING --> READY (rules) or FAILED (then every
 * URL of the origin is recorded as an error of that kind: an unreachable host costs one fetch).
 *
 * <p>Thread-safety: {@link #run} on one thread, once; {@link #stop} from any thread (a signal
 * handler). Completion callbacks only enqueue, from whichever thread completes a task.
 */
public final class Crawler {

    /** Called on the coordinator thread while the crawl runs (about 5 times a second) and once at the end. */
    public interface Listener {
        void progress(CrawlProgress progress);
    }

    enum State { KNOWN, QUEUED, FETCHING, WAITING, DONE, DISALLOWED }

    enum RobotsState { NEEDED, FETCHING, READY, FAILED }

    /** One URL the crawl has seen. Coordinator-confined. */
    static final class Node {
        final String url;
        final Origin origin;
        final boolean offsite;
        int depth = Integer.MAX_VALUE;
        State state = State.KNOWN;
        int attempts;
        int redirectHops;
        /** For DONE pages their links, for a redirect its target; null otherwise. */
        Node[] out;
        boolean redirect;
        /** Seq of its live queue entry (older entries for it are stale). */
        long entrySeq = -1;

        Node(String url, Origin origin, boolean offsite) {
            this.url = url;
            this.origin = origin;
            this.offsite = offsite;
        }
    }

    record Entry(Node node, int depth, long seq) {}

    /** One {@code scheme://host:port}: its queue, its caps, its robots.txt. Coordinator-confined. */
    static final class Origin {
        final String name;
        final int id;
        final PriorityQueue<Entry> queue = new PriorityQueue<>(Comparator.comparingInt(Entry::depth).thenComparingLong(Entry::seq));
        int inFlight;
        long nextStartNanos = System.nanoTime(); // may start at once (compared by difference: no sentinel that overflows)
        long delayNanos;
        RobotsState robots;
        RobotsTxt rules = RobotsTxt.ALLOW_ALL;
        Fetched.Failed robotsFailure;
        String robotsUrl;
        int robotsAttempts;
        int robotsHops;
        // where it sits in the runnable set (its key must not change while it is in the set)
        boolean runnable;
        int keyDepth;
        long keySeq;
        long wakeAt = Long.MIN_VALUE;

        Origin(String name, int id) {
            this.name = name;
            this.id = id;
            this.robotsUrl = name + "/robots.txt";
        }
    }

    /** A finished task: the node it fetched (or the origin, for robots.txt) and what it found. */
    private record Completion(Node node, Origin robotsOf, Fetched result) {}

    private record Wake(long at, Origin origin) {}

    private record Retry(long at, Node node) {}

    private record Relax(Node node, int depth) {}

    private static final Completion WAKE = new Completion(null, null, null);
    private static final long PROGRESS_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final TaskPool pool;
    private final boolean onLoop;
    /** The pool's ear for how servers answer (an autoscaled pool), or null. */
    private final OverloadFeedback feedback;
    private final CrawlOptions options;
    private final CrawlOutput output;
    private final Listener listener;
    private final LinkedBlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
    private volatile boolean stopRequested;

    // coordinator state
    private final HashMap<String, Node> nodes = new HashMap<>();
    private final HashMap<String, Origin> origins = new HashMap<>();
    private final Set<String> seedAuthorities = new HashSet<>();
    private final TreeSet<Origin> runnable = new TreeSet<>(Comparator.<Origin>comparingInt(o -> o.keyDepth)
            .thenComparingLong(o -> o.keySeq).thenComparingInt(o -> o.id));
    /** Origins waiting for their delay (or a robots.txt backoff) to pass; stale entries are skipped. */
    private final PriorityQueue<Wake> sleeping = new PriorityQueue<>(Comparator.comparingLong(Wake::at));
    /** URLs waiting for their retry backoff. */
    private final PriorityQueue<Retry> retries = new PriorityQueue<>(Comparator.comparingLong(Retry::at));
    /** The worklist of {@link #offer}. */
    private final ArrayDeque<Relax> relax = new ArrayDeque<>();
    private long seq;
    private int inFlight;
    private long pagesStarted;
    private int queued;
    private boolean budgetCut;

    // counts for the summary
    private long held, pages, notHtml, redirects, links, retried, disallowed, truncated;
    private final TreeMap<String, Long> errors = new TreeMap<>();
    private long startNanos;

    /**
     * @param pool    the model to fetch on; its concurrency should be at least {@code options.concurrency()}
     * @param output  a new file ({@link CrawlOutput#create}) or one being resumed
     */
    public Crawler(TaskPool pool, CrawlOptions options, CrawlOutput output, Listener listener) {
        this.pool = pool;
        this.onLoop = pool.has(SingleEventLoop.class);
        this.feedback = pool.capability(OverloadFeedback.class).orElse(null);
        this.options = options;
        this.output = output;
        this.listener = listener == null ? p -> {} : listener;
    }

    /** Asks the crawl to stop soon: no new fetch starts, the ones in flight are abandoned (not recorded). */
    public void stop() {
        stopRequested = true;
        completions.add(WAKE);
    }

    /**
     * Crawls until nothing is left to fetch, {@code --max-pages} is reached, or {@link #stop} is called.
     *
     * @param heldRecords what the output already holds when resuming (else empty)
     * @throws IOException when the output cannot be written (the crawl stops)
     */
    public CrawlResult run(List<CrawlOutput.Record> heldRecords) throws IOException, InterruptedException {
        Fetches.warmUp();
        startNanos = System.nanoTime();
        for (String seed : options.seeds()) seedAuthorities.add(Urls.authority(seed));
        loadHeld(heldRecords);
        for (String seed : options.seeds()) offer(node(seed, true), 0, 0);
        long nextProgress = startNanos;
        try {
            while (!stopRequested) {
                long now = System.nanoTime();
                wake(now);
                dispatch(now);
                if (inFlight == 0 && runnable.isEmpty() && sleeping.isEmpty() && retries.isEmpty()) break;
                if (now - nextProgress >= 0) {
                    listener.progress(progress(now, false));
                    nextProgress = now + PROGRESS_EVERY_NANOS;
                }
                long until = nextProgress;
                if (!sleeping.isEmpty()) until = Math.min(until, sleeping.peek().at());
                if (!retries.isEmpty()) until = Math.min(until, retries.peek().at());
                Completion c = completions.poll(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
                while (c != null) {
                    if (c != WAKE) handle(c);
                    c = completions.poll();
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        CrawlProgress last = progress(System.nanoTime(), true);
        listener.progress(last);
        return result(last);
    }

    // ---------------------------------------------------------------- the graph

    private Node node(String url, boolean seed) {
        Node n = nodes.get(url);
        if (n == null) {
            String originName = Urls.origin(url);
            Origin o = origins.get(originName);
            if (o == null) {
                o = new Origin(originName, origins.size());
                o.robots = options.respectRobots() ? RobotsState.NEEDED : RobotsState.READY;
                o.delayNanos = TimeUnit.MILLISECONDS.toNanos(options.delayMs());
                origins.put(originName, o);
            }
            boolean offsite = !seed && options.sameHost() && !seedAuthorities.contains(Urls.authority(url));
            n = new Node(url, o, offsite);
            nodes.put(url, n);
        }
        return n;
    }

    private void loadHeld(List<CrawlOutput.Record> records) {
        for (CrawlOutput.Record r : records) {
            Node n = node(r.url(), false);
            if (n.state == State.DONE) continue; // a file we wrote has one record per URL; be lenient anyway
            n.state = State.DONE;
            held++;
            pagesStarted++;
            switch (r) {
                case CrawlOutput.Record.Page p -> {
                    n.out = new Node[p.links().size()];
                    for (int i = 0; i < n.out.length; i++) n.out[i] = node(p.links().get(i), false);
                    pages++;
                    links += p.links().size();
                }
                case CrawlOutput.Record.Redirect d -> {
                    n.out = new Node[] {node(d.location(), false)};
                    n.redirect = true;
                    redirects++;
                }
                case CrawlOutput.Record.Skip s -> notHtml++;
                case CrawlOutput.Record.Error e -> errors.merge(e.kind(), 1L, Long::sum);
            }
        }
    }

    /**
     * Offers {@code n} at {@code depth}: if that is shallower than what was known, the node's depth
     * drops, a KNOWN node within depth is queued, and a DONE node passes the drop to its links.
     * Iterative (a worklist), as a drop can ripple through a whole held crawl.
     */
    private void offer(Node start, int depth, int redirectHops) {
        relax.add(new Relax(start, depth));
        while (!relax.isEmpty()) {
            Relax w = relax.poll();
            Node n = w.node();
            int d = w.depth();
            if (d >= n.depth) continue;
            n.depth = d;
            switch (n.state) {
                case KNOWN -> {
                    if (n == start) n.redirectHops = redirectHops;
                    if (d <= options.maxDepth() && !n.offsite) enqueue(n);
                }
                case QUEUED -> {
                    n.entrySeq = seq++;
                    n.origin.queue.add(new Entry(n, d, n.entrySeq));
                    reschedule(n.origin, System.nanoTime());
                }
                case DONE -> {
                    if (n.out != null) for (Node o : n.out) relax.add(new Relax(o, n.redirect ? d : d + 1));
                }
                default -> { } // fetching or waiting: its links get the new depth when it completes
            }
        }
    }

    private void enqueue(Node n) {
        n.state = State.QUEUED;
        queued++;
        n.entrySeq = seq++;
        n.origin.queue.add(new Entry(n, n.depth, n.entrySeq));
        reschedule(n.origin, System.nanoTime());
    }

    // ---------------------------------------------------------------- scheduling

    /** The origin's first live entry, stale ones (depth lowered since, or no longer queued) dropped. */
    private static Entry head(Origin o) {
        Entry e;
        while ((e = o.queue.peek()) != null && (e.node.state != State.QUEUED || e.seq != e.node.entrySeq)) o.queue.poll();
        return e;
    }

    /** Puts the origin in the runnable set if it may start a fetch now, or to sleep until it may. */
    private void reschedule(Origin o, long now) {
        if (o.runnable) {
            runnable.remove(o);
            o.runnable = false;
        }
        Entry e = head(o);
        if (e == null || o.inFlight >= options.perHost() || o.robots == RobotsState.FETCHING) return;
        if (now - o.nextStartNanos < 0) {
            if (o.wakeAt != o.nextStartNanos) {
                o.wakeAt = o.nextStartNanos;
                sleeping.add(new Wake(o.wakeAt, o));
            }
            return;
        }
        o.keyDepth = e.depth;
        o.keySeq = e.seq;
        o.runnable = true;
        runnable.add(o);
    }

    private void wake(long now) {
        while (!sleeping.isEmpty() && now - sleeping.peek().at() >= 0) {
            Wake w = sleeping.poll();
            Origin o = w.origin();
            if (w.at() != o.wakeAt) continue; // superseded by a later wake
            o.wakeAt = Long.MIN_VALUE;
            reschedule(o, now);
        }
        while (!retries.isEmpty() && now - retries.peek().at() >= 0) {
            Node n = retries.poll().node();
            if (n.state != State.WAITING) continue;
            n.state = State.KNOWN;
            enqueue(n);
        }
    }

    private void dispatch(long now) {
        while (inFlight < options.concurrency() && !runnable.isEmpty() && !stopRequested) {
            Origin o = runnable.pollFirst();
            o.runnable = false;
            if (o.robots == RobotsState.NEEDED) {
                o.robots = RobotsState.FETCHING;
                start(o, null, o.robotsUrl, now);
                continue;
            }
            Entry e = head(o);
            if (e == null) continue;
            o.queue.poll();
            Node n = e.node;
            queued--;
            if (o.robots == RobotsState.READY && !o.rules.allows(Urls.pathAndQuery(n.url))) {
                n.state = State.DISALLOWED;
                disallowed++;
            } else if (n.attempts == 0 && pagesStarted >= options.maxPages()) {
                n.state = State.KNOWN; // over the page budget: not fetched
                budgetCut = true;
            } else if (o.robots == RobotsState.FAILED) {
                pagesStarted++;
                n.state = State.DONE;
                Fetched.Failed f = o.robotsFailure;
                recordError(n, f.kind(), "robots.txt of " + o.name + " could not be fetched: " + f.detail());
            } else {
                if (n.attempts == 0) pagesStarted++;
                n.state = State.FETCHING;
                start(o, n, n.url, now);
                continue;
            }
            reschedule(o, now);
        }
    }

    private void start(Origin o, Node n, String url, long now) {
        inFlight++;
        o.inFlight++;
        o.nextStartNanos = now + o.delayNanos;
        boolean robots = n == null;
        TaskFuture<Fetched> f;
        try {
            f = onLoop ? pool.submitAsync(AsyncFetchTask.of(url, robots, options.fetch()), options.fetchTimeout())
                    : pool.submit(new FetchTask(url, robots, options.fetch()), options.fetchTimeout());
        } catch (RejectedExecutionException e) {
            stopRequested = true; // the pool is shutting down under us
            return;
        }
        f.whenComplete((v, e) -> completions.add(new Completion(n, robots ? o : null, v != null ? v : Fetches.failure(e))));
        reschedule(o, now);
    }

    // ---------------------------------------------------------------- completions

    private void handle(Completion c) {
        long now = System.nanoTime();
        inFlight--;
        if (feedback != null) report(feedback, c.result);
        if (c.robotsOf != null) {
            robotsDone(c.robotsOf, c.result, now);
            return;
        }
        Node n = c.node;
        Origin o = n.origin;
        o.inFlight--;
        try {
            switch (c.result) {
                case Fetched.Page p -> {
                    n.state = State.DONE;
                    output.page(n.url, p.status(), p.links(), p.truncated());
                    pages++;
                    links += p.links().size();
                    if (p.truncated()) truncated++;
                    n.out = new Node[p.links().size()];
                    for (int i = 0; i < n.out.length; i++) n.out[i] = node(p.links().get(i), false);
                    for (Node link : n.out) offer(link, n.depth + 1, 0);
                }
                case Fetched.NotHtml s -> {
                    n.state = State.DONE;
                    output.skip(n.url, s.status(), s.contentType());
                    notHtml++;
                }
                case Fetched.Redirect r -> {
                    n.state = State.DONE;
                    if (n.redirectHops >= options.maxRedirects()) {
                        recordError(n, "too-many-redirects", options.maxRedirects() + " redirects in a row, the last to " + r.location());
                    } else {
                        output.redirect(n.url, r.status(), r.location());
                        redirects++;
                        Node target = node(r.location(), false);
                        n.out = new Node[] {target};
                        n.redirect = true;
                        offer(target, n.depth, n.redirectHops + 1);
                    }
                }
                case Fetched.Failed f -> {
                    if (f.retryable() && n.attempts < options.retries()) {
                        n.attempts++;
                        n.state = State.WAITING;
                        retried++;
                        long wait = backoffNanos(n.attempts, f.retryAfterMs());
                        retries.add(new Retry(now + wait, n));
                        if (f.retryAfterMs() > 0) o.nextStartNanos = Math.max(o.nextStartNanos, now + wait); // the server asked the whole origin to wait
                    } else {
                        n.state = State.DONE;
                        recordError(n, f.kind(), f.detail());
                    }
                }
                case Fetched.Text t -> {
                    n.state = State.DONE;
                    recordError(n, "internal", "a page fetch answered as robots.txt");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reschedule(o, now);
    }

    private void robotsDone(Origin o, Fetched result, long now) {
        o.inFlight--;
        switch (result) {
            case Fetched.Text t -> {
                o.rules = t.status() >= 200 && t.status() < 300 ? RobotsTxt.parse(t.text(), options.fetch().productToken()) : RobotsTxt.ALLOW_ALL;
                o.delayNanos = Math.max(o.delayNanos, TimeUnit.MILLISECONDS.toNanos(Math.min(o.rules.crawlDelayMs(), 60_000)));
                o.robots = RobotsState.READY;
            }
            case Fetched.Redirect r when o.robotsHops < 5 -> { // RFC 9309 2.3.1.2: follow at least five
                o.robotsHops++;
                o.robotsUrl = r.location();
                o.robots = RobotsState.NEEDED;
            }
            case Fetched.Failed f when f.retryable() && o.robotsAttempts < options.retries() -> {
                o.robotsAttempts++;
                retried++;
                o.robots = RobotsState.NEEDED;
                o.nextStartNanos = now + backoffNanos(o.robotsAttempts, f.retryAfterMs());
            }
            case Fetched.Failed f -> { // unreachable: RFC 9309 2.3.1.4 says assume complete disallow
                o.robotsFailure = f;
                o.robots = RobotsState.FAILED;
            }
            default -> o.robots = RobotsState.READY; // too many redirects, a page where robots.txt was: allow all
        }
        reschedule(o, now);
    }

    private void recordError(Node n, String kind, String detail) {
        try {
            output.error(n.url, kind, detail);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        errors.merge(kind, 1L, Long::sum);
    }

    /** Tells the autoscaler how the server answered: a 429 or 503 says "slow down". Failures without an answer are not told. */
    private static void report(OverloadFeedback pool, Fetched result) {
        int status = switch (result) {
            case Fetched.Page p -> p.status();
            case Fetched.NotHtml n -> n.status();
            case Fetched.Redirect r -> r.status();
            case Fetched.Text t -> t.status();
            case Fetched.Failed f -> f.kind().startsWith("http-") ? Integer.parseInt(f.kind().substring(5)) : -1;
        };
        if (status > 0) pool.reportResponse(status);
    }

    /** Exponential from {@code --backoff}, with jitter (75..125 %), at least what Retry-After asked, capped. */
    private long backoffNanos(int attempt, long retryAfterMs) {
        double ms = options.backoffMs() * Math.pow(2, attempt - 1) * (0.75 + 0.5 * ThreadLocalRandom.current().nextDouble());
        ms = Math.max(ms, retryAfterMs);
        return TimeUnit.MILLISECONDS.toNanos((long) Math.min(ms, options.maxBackoffMs()));
    }

    // ---------------------------------------------------------------- reporting

    private CrawlProgress progress(long now, boolean finished) {
        long errorCount = errors.values().stream().mapToLong(Long::longValue).sum();
        long done = pages + notHtml + redirects + errorCount;
        return new CrawlProgress(done, done - held, errorCount, queued + retries.size(), inFlight, now - startNanos, finished);
    }

    private CrawlResult result(CrawlProgress last) {
        long offsite = 0, tooDeep = 0;
        for (Node n : nodes.values()) {
            if (n.state != State.KNOWN) continue;
            if (n.offsite) offsite++;
            else if (n.depth > options.maxDepth()) tooDeep++;
        }
        Map<String, Long> errorMap = new LinkedHashMap<>(errors);
        String end = stopRequested ? "stopped" : budgetCut ? "max-pages" : "done";
        return new CrawlResult(end, held, pages, notHtml, redirects, errorMap, links, retried, disallowed, truncated,
                nodes.size(), offsite, tooDeep, origins.size(), last.elapsedNanos(), output.bytesWritten());
    }
}
