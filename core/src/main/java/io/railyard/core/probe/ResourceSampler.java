package io.railyard.core.probe;


import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Samples the process tree's CPU and memory at a fixed period on its own daemon thread, keeping
 * the peak RSS and a time series (for the "CPU and memory over time" charts and budget checks).
 *
 * <h2>CPU in time</h2>
 * A process is read once the sampler has seen it, and the tree is listed every
 * 100 ms (listing costs more than reading): a child born between two
 * listings has run, maybe hard (a JVM boots on every core), before it is first read. Its CPU so far
 * is not lumped into the window where it was first seen: it is spread evenly over the time it ran,
 * from its start time in {@code /proc/PID/stat} (no earlier than the listing before, which did not
 * see it), and the earlier samples of the series are raised by their share. The series is thus
 * revised as the sampler learns; totals are never changed. A child born and reaped between two
 * listings is only seen through its parent's reaped-children time, when it is reaped.
 *
 * <p>CPU times come from the kernel in clock ticks ({@link #TICK_NANOS}, 10 ms at 100 Hz), each
 * counter cut to whole ticks; each sample says how many such counters its CPU sums
 * ({@link Sample#tickCounters()}), so a reading is at most that many ticks short, and a difference
 * of two readings is off by less than the larger count of ticks. A reading is stamped with the
 * middle of the time it took ({@link Sample#readNanos()}; listing the tree, which takes long for a
 * process of many threads, comes before it). {@link CoresBusy} states the bound of both beside
 * every window it computes. Nothing is clamped.
 *
 * <p>By default it samples this JVM's tree; {@link #ofTree(long)} samples the tree of another
 * process instead (a CPython child measured beside Java, without the JVM's own memory). Work that
 * runs outside the tree (cluster members reached as a client) is added to every sample once its
 * pool is {@linkplain #attachRemote attached}: read every {@value #REMOTE_PERIOD_MILLIS} ms (a round
 * trip each), each remote process's CPU counted from when it was first seen, its memory as last read.
 *
 * <p>Lifecycle: created idle; {@link #start()} once; {@link #stop()} once, which returns the
 * {@link Samples}. Thread-safe: {@link #peakRssBytes()} and {@link #latest()} may be read from any
 * thread while it runs.
 */
public final class ResourceSampler implements AutoCloseable {

    /** Nanoseconds per clock tick, the unit of CPU times read from /proc (and of {@code times()}). */
    public static final long TICK_NANOS = ProcFs.TICK_NANOS;

    /**
     * One reading: time since start (the middle of the reading), cumulative tree CPU, tree RSS, live
     * processes, JVM threads, how many counters cut to whole clock ticks the CPU sums
     * ({@link #TICK_NANOS} each at most), how long the reading took (its CPU is of some moment
     * within that time), and the part of the tree's RSS held by the root's descendants (a process
     * pool's workers; the root's own RSS and remote processes' are not in it).
     */
    public record Sample(long elapsedNanos, long cpuNanos, long rssBytes, int processes, int threads, int tickCounters,
                         long readNanos, long descendantsRssBytes) {
        /** A sample whose CPU is exact and instant, or whose rounding is not known, of a tree without descendants. */
        public Sample(long elapsedNanos, long cpuNanos, long rssBytes, int processes, int threads) {
            this(elapsedNanos, cpuNanos, rssBytes, processes, threads, 0, 0, 0);
        }
    }

    /**
     * Everything a run sampled. {@code peakRssBytes} also counts the JVM's own high-water mark.
     * {@code machineBusyNanos} is the CPU the whole machine spent over the same span, every process
     * on it together (-1 where /proc/stat cannot be read): what it holds beyond {@code cpuNanos} is
     * other programs' ({@link #othersCores()}).
     */
    public record Samples(List<Sample> series, long peakRssBytes, long cpuNanos, long wallNanos, long machineBusyNanos) {
        /**
         * The cores other programs kept busy on average while the tree ran: the machine's busy CPU
         * less the tree's, over the wall; NaN where unknown. Read in clock ticks, so a short span is
         * coarse: a tick each end over the wall.
         */
        public double othersCores() {
            if (machineBusyNanos < 0 || wallNanos <= 0) return Double.NaN;
            return Math.max(0, machineBusyNanos - cpuNanos) / (double) wallNanos;
        }

        /** The most OS threads the tree had in any sample; 0 without samples. */
        public int peakThreads() {
            return series.stream().mapToInt(Sample::threads).max().orElse(0);
        }

        /** The most processes the tree had in any sample; 1 without samples. */
        public int peakProcesses() {
            return series.stream().mapToInt(Sample::processes).max().orElse(1);
        }

        /** The tree's RSS at the first sample; 0 without samples (a tree gone before it was read). */
        public long startRssBytes() {
            return series.isEmpty() ? 0 : series.get(0).rssBytes();
        }
    }

    private final Duration period;
    /** The root of the sampled tree; this JVM's pid for the default sampler. */
    private final long root;
    private final boolean self;
    private final List<Sample> series = new ArrayList<>(); // guarded by itself; revised as described above
    private final AtomicLong peak = new AtomicLong();
    private volatile Sample latest;
    private volatile boolean running;
    private Thread thread;
    private long startNanos, startCpu;
    private long machineBusyAtStart = -1;
    /** Listing descendants scans the whole machine's /proc: done every 100 ms, not every sample. */
    private static final long DESCENDANTS_REFRESH_NANOS = 100_000_000L;
    private final long listEveryNanos;
    private List<Long> descendants = List.of();
    private long descendantsAt = Long.MIN_VALUE / 2;
    /** When the tree was listed before the last listing: a process first seen now started after it. Sampler thread only. */
    private long listedBefore;
    /** Pids already read: a pid not among them is new, and its CPU so far is spread over its life. Sampler thread only. */
    private final java.util.Set<Long> seen = new java.util.HashSet<>();
    /** nanoTime minus the boot clock of /proc start times. */
    private final long bootToNanoTime = ProcFs.bootToNanoTime();

    static final long REMOTE_PERIOD_MILLIS = 250;
    private volatile RemoteResources remote;
    /** Per remote process id: {CPU when first seen, CPU last read, RSS last read}; guarded by itself. */
    private final Map<String, long[]> remotes = new HashMap<>();
    private long remoteReadAt = Long.MIN_VALUE / 2; // guarded by remotes

    public ResourceSampler(Duration period) {
        this(period, ProcessHandle.current().pid());
    }

    private ResourceSampler(Duration period, long root) {
        this(period, root, DESCENDANTS_REFRESH_NANOS);
    }

    /** A sampler that lists the tree every {@code listEveryNanos} (tests make it rare, to see a child found late). */
    ResourceSampler(Duration period, long root, long listEveryNanos) {
        this.listEveryNanos = listEveryNanos;
        this.period = period;
        this.root = root;
        this.self = root == ProcessHandle.current().pid();
    }

    /** Samples the tree rooted at {@code pid} every 20 ms: CPU from when {@link #start()} is called. */
    public static ResourceSampler ofTree(long pid) {
        return new ResourceSampler(Duration.ofMillis(20), pid);
    }

    /** Samples every 20 ms: often enough to catch a short peak, cheap enough to leave on. */
    public static ResourceSampler every20ms() {
        return new ResourceSampler(Duration.ofMillis(20));
    }

    public synchronized ResourceSampler start() {
        if (thread != null) throw new IllegalStateException("sampler already started");
        if (self) ProcessTreeProbe.resetSelfPeak();
        descendants = listDescendants();
        startNanos = System.nanoTime();
        descendantsAt = startNanos;
        listedBefore = startNanos;
        seen.addAll(descendants); // their CPU before now is in the baseline
        startCpu = read().totals().cpuNanos();
        machineBusyAtStart = ProcFs.machineBusyNanos();
        running = true;
        sample();
        thread = new Thread(this::loop, "railyard-sampler");
        thread.setDaemon(true);
        thread.start();
        return this;
    }

    /**
     * Samples every period until stopped. {@link #stop()} wakes it with {@code unpark}, never an
     * interrupt: an interrupt landing inside a read of /proc through a channel fails that read.
     */
    private void loop() {
        long next = System.nanoTime() + period.toNanos();
        while (running) {
            long wait = next - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue; // woken early (stop) or spuriously: look again
            }
            sample();
            next += period.toNanos();
            long now = System.nanoTime();
            if (next < now) next = now + period.toNanos(); // fell behind (a slow read): no burst to catch up
        }
    }

    private void sample() {
        long listAt = System.nanoTime();
        if (listAt - descendantsAt >= listEveryNanos) {
            listedBefore = descendantsAt;
            descendants = listDescendants(); // a tree of many threads takes long to list: not inside the reading's time
            descendantsAt = listAt;
        }
        long readFrom = System.nanoTime();
        ProcessTreeProbe.TreeReading tree = read();
        long readTo = System.nanoTime(), now = readFrom + (readTo - readFrom) / 2;
        ProcessTreeProbe.Reading r = tree.totals();
        if (!self && r.processes() == 0) return; // the process has exited: nothing left to read
        RemoteResources source = remote;
        if (source != null && now - remoteReadAt >= REMOTE_PERIOD_MILLIS * 1_000_000) readRemote(source, now);
        long remoteCpu = 0, remoteRss = 0;
        int remoteCount;
        synchronized (remotes) {
            for (long[] m : remotes.values()) {
                remoteCpu += m[1] - m[0];
                remoteRss += m[2];
            }
            remoteCount = remotes.size();
        }
        long rss = r.rssBytes() + remoteRss;
        // a remote process's CPU is read in ticks too (two counters), from when it was first seen
        Sample s = new Sample(now - startNanos, r.cpuNanos() - startCpu + remoteCpu, rss, r.processes() + remoteCount, r.threads(),
                tree.tickFields() + 2 * remoteCount, readTo - readFrom, r.descendantsRssBytes());
        latest = s;
        peak.accumulateAndGet(rss, Math::max);
        synchronized (series) {
            for (int i = 0; i < tree.pids().length; i++)
                if (seen.add(tree.pids()[i])) spread(tree.cpuNanos()[i], tree.startTicks()[i], tree.fields()[i], now);
            series.add(s);
        }
    }

    /**
     * A process first read at {@code now} with {@code cpu} used since it started: raises each earlier
     * sample taken while it ran by the share of that CPU it had used by then, at an even rate from
     * its start (as /proc gives it, but no earlier than the listing before the one that found it,
     * nor than this sampler's start). Caller holds the series' lock.
     */
    private void spread(long cpu, long startTicks, int fields, long now) {
        long started = startTicks * TICK_NANOS + bootToNanoTime;
        long from = Math.max(started, Math.max(listedBefore, startNanos));
        if (cpu <= 0 || from >= now) return;
        double span = now - from;
        for (int j = series.size() - 1; j >= 0; j--) {
            Sample e = series.get(j);
            long at = startNanos + e.elapsedNanos();
            if (at <= from) break;
            long share = Math.round(cpu * ((at - from) / span));
            series.set(j, new Sample(e.elapsedNanos(), e.cpuNanos() + share, e.rssBytes(), e.processes(), e.threads(),
                    e.tickCounters() + fields, e.readNanos(), e.descendantsRssBytes()));
        }
    }

    /**
     * Counts the processes {@code source} reads in every later sample (call it once the pool is
     * open): their CPU from now, their memory as read. Reads them at once.
     */
    public void attachRemote(RemoteResources source) {
        remote = source;
        readRemote(source, System.nanoTime());
    }

    /**
     * Reads the attached remote processes one last time and stops reading them (call it before the
     * pool closes, while they still answer): later samples keep what was read last.
     */
    public void detachRemote() {
        RemoteResources source = remote;
        remote = null;
        if (source != null) readRemote(source, System.nanoTime());
    }

    private void readRemote(RemoteResources source, long now) {
        List<RemoteResources.Remote> read = source.readRemote();
        synchronized (remotes) {
            remoteReadAt = now;
            for (long[] known : remotes.values()) known[2] = 0; // a process that did not answer holds no memory we know of
            for (RemoteResources.Remote m : read) {
                long[] known = remotes.get(m.id());
                if (known == null) remotes.put(m.id(), new long[]{m.cpuNanos(), m.cpuNanos(), Math.max(0, m.rssBytes())});
                else {
                    known[1] = Math.max(known[1], m.cpuNanos());
                    known[2] = Math.max(0, m.rssBytes());
                }
            }
        }
    }

    private List<Long> listDescendants() {
        return self ? ProcessTreeProbe.descendants() : ProcessTreeProbe.descendants(root);
    }

    private ProcessTreeProbe.TreeReading read() {
        return ProcessTreeProbe.readTree(root, descendants);
    }

    /** The highest tree RSS sampled so far. */
    public long peakRssBytes() {
        return peak.get();
    }

    /** The most recent sample, or null before start. */
    public Sample latest() {
        return latest;
    }

    /** Stops sampling, takes a last sample and returns the whole record. */
    public synchronized Samples stop() {
        if (thread == null) throw new IllegalStateException("sampler not started");
        if (running) {
            running = false;
            LockSupport.unpark(thread);
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sample();
        }
        List<Sample> copy;
        synchronized (series) {
            copy = List.copyOf(series);
        }
        long peakRss = self ? Math.max(peak.get(), ProcessTreeProbe.selfPeakRssBytes()) : peak.get();
        long machineNow = ProcFs.machineBusyNanos();
        long machineBusy = machineBusyAtStart < 0 || machineNow < 0 ? -1 : machineNow - machineBusyAtStart;
        // another process's tree that was gone before its first sample: nothing read
        if (copy.isEmpty()) return new Samples(copy, peakRss, 0, System.nanoTime() - startNanos, machineBusy);
        Sample last = copy.get(copy.size() - 1);
        return new Samples(copy, peakRss, last.cpuNanos(), last.elapsedNanos(), machineBusy);
    }

    @Override
    public void close() {
        if (thread != null && running) stop();
    }

}
