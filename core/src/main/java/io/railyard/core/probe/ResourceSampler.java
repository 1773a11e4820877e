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

    /** One reading: time since start, cumulative tree CPU, tree RSS, live processes, JVM threads. */
    public record Sample(long elapsedNanos, long cpuNanos, long rssBytes, int processes, int threads) {}

    /** Everything a run sampled. {@code peakRssBytes} also counts the JVM's own high-water mark. */
    public record Samples(List<Sample> series, long peakRssBytes, long cpuNanos, long wallNanos) {}

    private final Duration period;
    /** The root of the sampled tree; this JVM's pid for the default sampler. */
    private final long root;
    private final boolean self;
    private final List<Sample> series = new ArrayList<>(); // guarded by itself
    private final AtomicLong peak = new AtomicLong();
    private volatile Sample latest;
    private volatile boolean running;
    private Thread thread;
    private long startNanos, startCpu;
    /** Listing descendants scans the whole machine's /proc: done every 100 ms, not every sample. */
    private static final long DESCENDANTS_REFRESH_NANOS = 100_000_000L;
    private List<Long> descendants = List.of();
    private long descendantsAt = Long.MIN_VALUE / 2;

    static final long REMOTE_PERIOD_MILLIS = 250;
    private volatile RemoteResources remote;
    /** Per remote process id: {CPU when first seen, CPU last read, RSS last read}; guarded by itself. */
    private final Map<String, long[]> remotes = new HashMap<>();
    private long remoteReadAt = Long.MIN_VALUE / 2; // guarded by remotes

    public ResourceSampler(Duration period) {
        this(period, ProcessHandle.current().pid());
    }

    private ResourceSampler(Duration period, long root) {
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
        startNanos = System.nanoTime();
        descendants = listDescendants();
        descendantsAt = startNanos;
        startCpu = read().cpuNanos();
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
        long now = System.nanoTime();
        if (now - descendantsAt >= DESCENDANTS_REFRESH_NANOS) {
            descendants = listDescendants();
            descendantsAt = now;
        }
        ProcessTreeProbe.Reading r = read();
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
        Sample s = new Sample(now - startNanos, r.cpuNanos() - startCpu + remoteCpu, rss, r.processes() + remoteCount, r.threads());
        latest = s;
        peak.accumulateAndGet(rss, Math::max);
        synchronized (series) {
            series.add(s);
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

    private ProcessTreeProbe.Reading read() {
        return self ? ProcessTreeProbe.reading(descendants) : ProcessTreeProbe.readingOf(root, descendants);
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
        Sample last = copy.get(copy.size() - 1);
        return new Samples(copy, peakRss, last.cpuNanos(), last.elapsedNanos());
    }

    @Override
    public void close() {
        if (thread != null && running) stop();
    }

}
