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
 *                                              (not when its robots directives say nofollow)
 *                                              redirect: record, offer the target at the same depth
 *                                              sitemap: record, offer its URLs at depth 0
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
 * It is parsed where it was fetched (a worker, a loop helper thread), not here.
 *
 * <h2>Sitemaps ({@code --sitemaps})</h2>
 * Each start origin's {@code /sitemap.xml} and the {@code Sitemap:} lines of its robots.txt are
 * queued as sitemap nodes (their own map: a URL may be a page and a sitemap) at depth -1, so they go
 * out before the origin's pages. An index's sitemaps are queued in turn; a urlset's URLs are offered
 * at depth 0. Sitemaps do not count against {@code --max-pages}.
 *
 * <h2>What held the crawl back</h2>
 * After each turn of the loop the coordinator notes which limit, if any, keeps a fetch from
 * starting: {@code -c} (C in flight and more ready), the per-host cap (origins with work at their
 * cap), a delay (origins with work waiting for their next start), robots.txt (work waiting for
 * it), or a retry's backoff; the time until the next turn is added to that limit. The shares of the
 * wall time go into {@link CrawlResult#limits()}.
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
        final boolean excluded;
        /** A sitemap, not a page. */
        final boolean sitemap;
        int depth = Integer.MAX_VALUE;
        State state = State.KNOWN;
        int attempts;
        int redirectHops;
        /** For DONE pages their links (none when they were not followed), for a redirect its target; null otherwise. */
        Node[] out;
        boolean redirect;
        /** The first URL of the redirect chain that led here, or null. */
        Node via;
        /** Seq of its live queue entry (older entries for it are stale). */
        long entrySeq = -1;

        Node(String url, Origin origin, Scope.Verdict verdict, boolean sitemap) {
            this.url = url;
            this.origin = origin;
            this.offsite = verdict == Scope.Verdict.OFFSITE;
            this.excluded = verdict == Scope.Verdict.EXCLUDED;
            this.sitemap = sitemap;
        }

        boolean followable() {
            return !offsite && !excluded;
        }
    }

    /**
     * A URL in its origin's queue, taken shallowest first, then in the order found. The queues and
     * the coordinator's sets order by {@code compareTo} rather than by {@code Comparator.comparing}:
     * each of those is a lambda the JVM spins as the crawl starts, which the start-up cache cannot hold.
     */
    record Entry(Node node, int depth, long seq) implements Comparable<Entry> {
        @Override
        public int compareTo(Entry e) {
            return depth != e.depth ? Integer.compare(depth, e.depth) : Long.compare(seq, e.seq);
        }
    }

    /** One {@code scheme://host:port}: its queue, its caps, its robots.txt. Coordinator-confined. */
    static final class Origin implements Comparable<Origin> {
        final String name;
        final int id;
        final PriorityQueue<Entry> queue = new PriorityQueue<>();
        int inFlight;
        long nextStartNanos = System.nanoTime(); // may start at once (compared by difference: no sentinel that overflows)
        long delayNanos;
        /** Its next start waits for a retry's backoff (a failed robots.txt, a Retry-After), not for the delay. */
        boolean backingOff;
        RobotsState robots;
        RobotsTxt rules = RobotsTxt.ALLOW_ALL;
        Fetched.Failed robotsFailure;
        /** A start URL's origin: its sitemaps are read with --sitemaps. */
        boolean seedOrigin;
        // counts for the summary, and how long the per-host cap or a delay held it
        long fetched, pageCount, errorCount, wireBytes;
        boolean capped, delayed;
        long cappedNanos, delayedNanos;
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

        /** The order of the runnable set: by the key of its next URL, then by id (no two origins are equal). */
        @Override
        public int compareTo(Origin o) {
            if (keyDepth != o.keyDepth) return Integer.compare(keyDepth, o.keyDepth);
            if (keySeq != o.keySeq) return Long.compare(keySeq, o.keySeq);
            return Integer.compare(id, o.id);
        }
    }

    /** A finished task: the node it fetched (or the origin, for robots.txt) and what it found. */
    private record Completion(Node node, Origin robotsOf, Fetched result) {}

    /** Ordered by time only. */
    private record Wake(long at, Origin origin) implements Comparable<Wake> {
        @Override
        public int compareTo(Wake w) {
            return Long.compare(at, w.at);
        }
    }

    /** Ordered by time only. */
    private record Retry(long at, Node node) implements Comparable<Retry> {
        @Override
        public int compareTo(Retry r) {
            return Long.compare(at, r.at);
        }
    }

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
    private final HashMap<String, Node> sitemapNodes = new HashMap<>();
    private final HashMap<String, Origin> origins = new HashMap<>();
    /** URLs the resumed output holds an error record for: a sitemap there is not fetched again. */
    private final Set<String> heldErrors = new HashSet<>();
    private Scope scope = Scope.ALL;
    private final TreeSet<Origin> runnable = new TreeSet<>();
    /** Origins waiting for their delay (or a robots.txt backoff) to pass; stale entries are skipped. */
    private final PriorityQueue<Wake> sleeping = new PriorityQueue<>();
    /** URLs waiting for their retry backoff. */
    private final PriorityQueue<Retry> retries = new PriorityQueue<>();
    /** The worklist of {@link #offer}. */
    private final ArrayDeque<Relax> relax = new ArrayDeque<>();
    private long seq;
    private int inFlight;
    private long pagesStarted;
    private int queued;
    private boolean budgetCut;

    // counts for the summary
    private long held, pages, notHtml, redirects, links, retried, disallowed, truncated;
    private long noindex, nofollow, sitemapsRead, sitemapUrls, wireBytes, decodedBytes;
    private final TreeMap<String, Long> errors = new TreeMap<>();
    private long startNanos;

    // what held the crawl back: the bucket the time since accountedAt goes to
    private enum Hold { NONE, CONCURRENCY, PER_HOST, DELAY, ROBOTS, BACKOFF }
    private final long[] holdNanos = new long[Hold.values().length];
    private final double[] holdInFlightNanos = new double[Hold.values().length];
    private Hold hold = Hold.NONE;
    private long accountedAt;
    private final Set<Origin> cappedOrigins = new HashSet<>();
    private final Set<Origin> delayedOrigins = new HashSet<>();
    private int robotsWaiting;

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
        scope = options.scope().withSeeds(options.seeds()); // loads the Public Suffix List for --same-domain, before the clock starts
        startNanos = System.nanoTime();
        accountedAt = startNanos;
        for (String seed : options.seeds()) origin(Urls.origin(seed)).seedOrigin = true;
        loadHeld(heldRecords);
        for (String seed : options.seeds()) offer(node(seed, true), 0, 0);
        if (options.sitemaps()) {
            for (String seed : options.seeds()) offerSitemap(Urls.origin(seed) + "/sitemap.xml");
        }
        long nextProgress = startNanos;
        try {
            while (!stopRequested) {
                long now = System.nanoTime();
                wake(now);
                dispatch(now);
                account(now);
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
        long end = System.nanoTime();
        account(end);
        CrawlProgress last = progress(end, true);
        listener.progress(last);
        return result(last);
    }

    // ---------------------------------------------------------------- the graph

    private Node node(String url, boolean seed) {
        Node n = nodes.get(url);
        if (n == null) {
            n = new Node(url, origin(Urls.origin(url)), scope.verdict(url, seed), false);
            nodes.put(url, n);
        }
        return n;
    }

    private Origin origin(String originName) {
        Origin o = origins.get(originName);
        if (o == null) {
            o = new Origin(originName, origins.size());
            o.robots = options.respectRobots() ? RobotsState.NEEDED : RobotsState.READY;
            o.delayNanos = TimeUnit.MILLISECONDS.toNanos(options.delayMs());
            origins.put(originName, o);
        }
        return o;
    }

    /** Queues a sitemap (once), before the pages of its origin. */
    private void offerSitemap(String url) {
        String u = Urls.normalize(url);
        if (u == null || sitemapNodes.containsKey(u) || !scope.allowsSitemapAt(u)) return;
        Node n = new Node(u, origin(Urls.origin(u)), Scope.Verdict.IN, true);
        sitemapNodes.put(u, n);
        if (heldErrors.contains(u)) {
            n.state = State.DONE;
            return;
        }
        n.depth = -1;
        enqueue(n);
    }

    private void loadHeld(List<CrawlOutput.Record> records) {
        List<CrawlOutput.Record.Sitemap> heldSitemaps = new java.util.ArrayList<>();
        for (CrawlOutput.Record r : records) {
            if (r instanceof CrawlOutput.Record.Sitemap m) {
                heldSitemaps.add(m);
                continue;
            }
            Node n = node(r.url(), false);
            if (n.state == State.DONE) continue; // a file we wrote has one record per URL; be lenient anyway
            n.state = State.DONE;
            held++;
            pagesStarted++;
            switch (r) {
                case CrawlOutput.Record.Page p -> {
                    Node[] out = new Node[p.links().size()];
                    for (int i = 0; i < out.length; i++) out[i] = node(p.links().get(i), false);
                    if (!(p.nofollow() && options.obeyMetaRobots())) n.out = out;
                    pages++;
                    links += p.links().size();
                    if (p.nofollow()) nofollow++;
                }
                case CrawlOutput.Record.Redirect d -> {
                    n.out = new Node[] {node(d.location(), false)};
                    n.redirect = true;
                    redirects++;
                }
                case CrawlOutput.Record.Skip s -> notHtml++;
                case CrawlOutput.Record.Error e -> {
                    errors.merge(e.kind(), 1L, Long::sum);
                    heldErrors.add(e.url());
                }
                case CrawlOutput.Record.Sitemap m -> throw new IllegalStateException("handled above");
            }
        }
        // a held sitemap is done; what it listed is offered again (held pages among it pass depths on)
        for (CrawlOutput.Record.Sitemap m : heldSitemaps) {
            Node s = sitemapNodes.computeIfAbsent(m.url(), u -> new Node(u, origin(Urls.origin(u)), Scope.Verdict.IN, true));
            s.state = State.DONE;
            sitemapsRead++;
        }
        for (CrawlOutput.Record.Sitemap m : heldSitemaps) sitemapListed(m.index(), m.urls());
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
                    if (d <= options.maxDepth() && n.followable()) enqueue(n);
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
        setHeld(o, e != null && o.inFlight >= options.perHost() && o.robots != RobotsState.FETCHING,
                e != null && o.inFlight < options.perHost() && o.robots != RobotsState.FETCHING && now - o.nextStartNanos < 0);
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
            } else if (n.sitemap && o.robots != RobotsState.FAILED) {
                n.state = State.FETCHING;
                start(o, n, n.url, now);
                continue;
            } else if (n.sitemap) {
                n.state = State.DONE; // its origin is unreachable: nothing to record for a sitemap nobody listed
            } else if (n.attempts == 0 && pagesStarted >= options.maxPages()) {
                n.state = State.KNOWN; // over the page budget: not fetched
                budgetCut = true;
            } else if (o.robots == RobotsState.FAILED) {
                pagesStarted++;
                n.state = State.DONE;
                Fetched.Failed f = o.robotsFailure;
                recordError(n, f.kind(), f.httpStatus(), "robots.txt of " + o.name + " could not be fetched: " + f.detail());
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
        o.backingOff = false;
        boolean robots = n == null;
        FetchKind kind = robots ? FetchKind.ROBOTS : n.sitemap ? FetchKind.SITEMAP : FetchKind.PAGE;
        if (robots) robotsWaiting++;
        TaskFuture<Fetched> f;
        try {
            f = onLoop ? pool.submitAsync(AsyncFetchTask.of(url, kind, options.fetch()), options.fetchTimeout())
                    : pool.submit(new FetchTask(url, kind, options.fetch(), options.fetchTimeout().toMillis()), options.fetchTimeout());
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
        if (n.sitemap) {
            sitemapDone(n, c.result, now);
            reschedule(o, now);
            return;
        }
        o.fetched++;
        String via = n.via == null ? null : n.via.url;
        try {
            switch (c.result) {
                case Fetched.Page p -> {
                    n.state = State.DONE;
                    output.page(n.url, n.depth, via, p);
                    pages++;
                    o.pageCount++;
                    transferred(o, p.transfer());
                    links += p.links().size();
                    if (p.truncated()) truncated++;
                    if (p.noindex()) noindex++;
                    if (p.nofollow()) nofollow++;
                    if (!(p.nofollow() && options.obeyMetaRobots())) { // nofollow: the links are written, not followed
                        n.out = new Node[p.links().size()];
                        for (int i = 0; i < n.out.length; i++) n.out[i] = node(p.links().get(i), false);
                        for (Node link : n.out) offer(link, n.depth + 1, 0);
                    }
                }
                case Fetched.NotHtml s -> {
                    n.state = State.DONE;
                    output.skip(n.url, n.depth, via, s);
                    notHtml++;
                    transferred(o, s.transfer());
                }
                case Fetched.Redirect r -> {
                    n.state = State.DONE;
                    if (n.redirectHops >= options.maxRedirects()) {
                        recordError(n, Fetched.Failure.TOO_MANY_REDIRECTS.label(), r.status(),
                                options.maxRedirects() + " redirects in a row, the last to " + r.location());
                    } else {
                        output.redirect(n.url, n.depth, r);
                        redirects++;
                        Node target = node(r.location(), false);
                        n.out = new Node[] {target};
                        n.redirect = true;
                        if (target.state == State.KNOWN && target.via == null) target.via = n.via != null ? n.via : n;
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
                        if (f.retryAfterMs() > 0 && now + wait - o.nextStartNanos > 0) { // the server asked the whole origin to wait
                            o.nextStartNanos = now + wait;
                            o.backingOff = true;
                        }
                    } else {
                        n.state = State.DONE;
                        recordError(n, f.kind(), f.httpStatus(), f.detail());
                    }
                }
                case Fetched.Robots t -> {
                    n.state = State.DONE;
                    recordError(n, Fetched.Failure.INTERNAL.label(), 0, "a page fetch answered as robots.txt");
                }
                case Fetched.Sitemap m -> {
                    n.state = State.DONE;
                    recordError(n, Fetched.Failure.INTERNAL.label(), 0, "a page fetch answered as a sitemap");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        reschedule(o, now);
    }

    private void robotsDone(Origin o, Fetched result, long now) {
        o.inFlight--;
        robotsWaiting--;
        switch (result) {
            case Fetched.Robots t -> {
                o.rules = t.rules();
                o.delayNanos = Math.max(o.delayNanos, TimeUnit.MILLISECONDS.toNanos(Math.min(o.rules.crawlDelayMs(), 60_000)));
                o.robots = RobotsState.READY;
                if (options.sitemaps() && o.seedOrigin) for (String sitemap : o.rules.sitemaps()) offerSitemap(sitemap);
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
                o.backingOff = true;
            }
            case Fetched.Failed f -> { // unreachable: RFC 9309 2.3.1.4 says assume complete disallow
                o.robotsFailure = f;
                o.robots = RobotsState.FAILED;
            }
            default -> o.robots = RobotsState.READY; // too many redirects, a page where robots.txt was: allow all
        }
        reschedule(o, now);
    }

    /** A sitemap came back: record it, queue an index's sitemaps, offer a urlset's URLs at depth 0. */
    private void sitemapDone(Node n, Fetched result, long now) {
        switch (result) {
            case Fetched.Sitemap m -> {
                n.state = State.DONE;
                try {
                    output.sitemap(n.url, m);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                sitemapsRead++;
                transferred(n.origin, m.transfer());
                sitemapListed(m.index(), m.urls());
            }
            case Fetched.Redirect r -> { // read where it leads (each sitemap URL once, so a loop ends)
                n.state = State.DONE;
                offerSitemap(r.location());
            }
            case Fetched.Failed f when f.retryable() && n.attempts < options.retries() -> {
                n.attempts++;
                n.state = State.WAITING;
                retried++;
                retries.add(new Retry(now + backoffNanos(n.attempts, f.retryAfterMs()), n));
            }
            case Fetched.Failed f -> {
                n.state = State.DONE;
                if (f.failure() == Fetched.Failure.HTTP && f.status() == 404 && n.url.equals(n.origin.name + "/sitemap.xml")) return; // none there: not an error
                recordError(n, f.kind(), f.httpStatus(), "sitemap: " + f.detail());
            }
            default -> {
                n.state = State.DONE;
                recordError(n, Fetched.Failure.SITEMAP.label(), result.httpStatus(), "the sitemap's fetch answered " + result.getClass().getSimpleName());
            }
        }
    }

    private void sitemapListed(boolean index, List<String> urls) {
        if (index) {
            for (String u : urls) offerSitemap(u);
            return;
        }
        for (String u : urls) {
            Node page = node(u, false);
            if (page.state == State.KNOWN && page.depth == Integer.MAX_VALUE) sitemapUrls++;
            offer(page, 0, 0);
        }
    }

    private void transferred(Origin o, Fetched.Transfer t) {
        o.wireBytes += t.wireBytes();
        wireBytes += t.wireBytes();
        decodedBytes += t.decodedBytes();
    }

    private void recordError(Node n, String kind, int status, String detail) {
        try {
            output.error(n.url, n.depth, kind, status, detail);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        errors.merge(kind, 1L, Long::sum);
        n.origin.errorCount++;
    }

    /** Tells the autoscaler how the server answered: a 429 or 503 says "slow down". Failures without an answer are not told. */
    private static void report(OverloadFeedback pool, Fetched result) {
        int status = result.httpStatus();
        if (status > 0) pool.reportResponse(status);
    }

    // ---------------------------------------------------------------- what held the crawl back

    private void setHeld(Origin o, boolean capped, boolean delayed) {
        if (capped != o.capped) {
            o.capped = capped;
            if (capped) cappedOrigins.add(o);
            else cappedOrigins.remove(o);
        }
        if (delayed != o.delayed) {
            o.delayed = delayed;
            if (delayed) delayedOrigins.add(o);
            else delayedOrigins.remove(o);
        }
    }

    /** Adds the time since the last turn to the limit that held it, and notes which one holds now. */
    private void account(long now) {
        long dt = now - accountedAt;
        accountedAt = now;
        if (dt > 0 && hold != Hold.NONE) {
            holdNanos[hold.ordinal()] += dt;
            holdInFlightNanos[hold.ordinal()] += (double) inFlight * dt;
            if (hold == Hold.PER_HOST) for (Origin o : cappedOrigins) o.cappedNanos += dt;
            if (hold == Hold.DELAY) for (Origin o : delayedOrigins) o.delayedNanos += dt;
        }
        boolean waiting = queued > 0 || !retries.isEmpty();
        if (inFlight >= options.concurrency() && (!runnable.isEmpty() || queued > 0)) hold = Hold.CONCURRENCY;
        else if (!cappedOrigins.isEmpty()) hold = Hold.PER_HOST;
        else if (!delayedOrigins.isEmpty()) hold = onlyBackingOff(delayedOrigins) ? Hold.BACKOFF : Hold.DELAY;
        else if (robotsWaiting > 0 && queued > 0) hold = Hold.ROBOTS;
        else if (waiting && runnable.isEmpty() && !retries.isEmpty() && inFlight == 0) hold = Hold.BACKOFF;
        else hold = Hold.NONE;
    }

    /** True if every one of these origins waits for a retry's backoff rather than for its delay. */
    private static boolean onlyBackingOff(Set<Origin> waiting) {
        for (Origin o : waiting) if (!o.backingOff) return false;
        return true;
    }

    private List<CrawlResult.Limit> limits(long wallNanos, boolean budgetCut, long tooDeep) {
        List<CrawlResult.Limit> out = new java.util.ArrayList<>();
        double wall = Math.max(1, wallNanos);
        for (Hold h : Hold.values()) {
            long t = holdNanos[h.ordinal()];
            if (h == Hold.NONE || t == 0) continue;
            double mean = holdInFlightNanos[h.ordinal()] / t;
            switch (h) {
                case CONCURRENCY -> out.add(new CrawlResult.Limit("concurrency", t / wall, "", mean, options.concurrency(), 0));
                case PER_HOST -> {
                    Origin most = origins.values().stream().max(Comparator.comparingLong(o -> o.cappedNanos)).orElseThrow();
                    out.add(new CrawlResult.Limit("per-host", t / wall, most.name, mean, options.perHost(), 0));
                }
                case DELAY -> {
                    Origin most = origins.values().stream().max(Comparator.comparingLong(o -> o.delayedNanos)).orElseThrow();
                    out.add(new CrawlResult.Limit("delay", t / wall, most.name, mean, TimeUnit.NANOSECONDS.toMillis(most.delayNanos), 0));
                }
                case ROBOTS -> out.add(new CrawlResult.Limit("robots.txt", t / wall, "", mean, 0, 0));
                case BACKOFF -> out.add(new CrawlResult.Limit("backoff", t / wall, "", mean, options.backoffMs(), 0));
                default -> { }
            }
        }
        out.sort(Comparator.comparingDouble(CrawlResult.Limit::share).reversed());
        if (budgetCut) out.add(new CrawlResult.Limit("max-pages", 0, "", 0, options.maxPages(), 0));
        if (tooDeep > 0) out.add(new CrawlResult.Limit("depth", 0, "", 0, options.maxDepth(), tooDeep));
        return out;
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
        long offsite = 0, tooDeep = 0, excluded = 0;
        for (Node n : nodes.values()) {
            if (n.state != State.KNOWN) continue;
            if (n.offsite) offsite++;
            else if (n.excluded) excluded++;
            else if (n.depth > options.maxDepth() && n.depth != Integer.MAX_VALUE) tooDeep++;
        }
        Map<String, Long> errorMap = new LinkedHashMap<>(errors);
        String end = stopRequested ? "stopped" : budgetCut ? "max-pages" : "done";
        Map<String, CrawlResult.HostCount> hosts = new LinkedHashMap<>();
        origins.values().stream().sorted(Comparator.comparingInt(o -> o.id)).filter(o -> o.fetched > 0)
                .forEach(o -> hosts.put(o.name, new CrawlResult.HostCount(o.fetched, o.pageCount, o.errorCount, o.wireBytes)));
        return new CrawlResult(end, held, pages, notHtml, redirects, errorMap, links, retried, disallowed, truncated,
                nodes.size(), offsite, tooDeep, origins.size(), last.elapsedNanos(), output.bytesWritten(), excluded, noindex,
                nofollow, sitemapsRead, sitemapUrls, wireBytes, decodedBytes, hosts, limits(last.elapsedNanos(), budgetCut, tooDeep));
    }
}
