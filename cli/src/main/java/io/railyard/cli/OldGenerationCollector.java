package io.railyard.cli;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;

/**
 * Collects the old generation of a command's JVM before it grows far past what the command keeps
 * alive: the command-line runs' heap policy for the Serial collector (docs/startup.md).
 *
 * <h2>Why</h2>
 * The Serial collector collects its old generation only when it cannot grow it any more: while the
 * maximum heap (a quarter of the machine's memory unless capped) has room, every young collection
 * promotes what is alive at that moment and the old generation grows by it, garbage included. A
 * command whose objects each live a few hundred milliseconds (10,000 held connections: every
 * round's futures and timers) promotes them by the megabyte and keeps them all: the old generation
 * of {@code run connections --model virtual -c 10000} grew to 188 MB around 65 MB of live objects.
 *
 * <h2>What it does</h2>
 * It sets a usage threshold on the old generation's pool; when a collection leaves the pool above
 * it, the collector is asked for a full collection ({@link System#gc()}), and the threshold moves
 * to what that left alive plus a headroom of a share of it (a quarter unless {@link #SHARE_PROPERTY}
 * says otherwise), at least {@code minHeadroomBytes}. So the old generation stays within about
 * 1.25x its live objects (or 1 + the share), at the price of one full collection each time that
 * much garbage has been promoted: a smaller share trades more full collections for less memory. A
 * JVM without a pool that supports thresholds (another collector), or started with
 * {@code -XX:+DisableExplicitGC}, is left as it is.
 *
 * <p>Thread-safety: {@link #install} once per JVM (later calls do nothing); the threshold is then
 * moved by the JVM's notification thread only.
 */
final class OldGenerationCollector implements NotificationListener {

    /** The system property the launcher sets, in bytes: the least headroom above the live objects. */
    static final String PROPERTY = "railyard.oldGenHeadroom";
    /** The system property the launcher may set: the headroom as a percentage of the live objects (default 25). */
    static final String SHARE_PROPERTY = "railyard.oldGenHeadroomPercent";
    static final int DEFAULT_SHARE_PERCENT = 25;

    private static boolean installed;

    private final MemoryPoolMXBean pool;
    private final long minHeadroom;
    private final int sharePercent;
    private volatile int collections;

    private OldGenerationCollector(MemoryPoolMXBean pool, long minHeadroom, int sharePercent) {
        this.pool = pool;
        this.minHeadroom = minHeadroom;
        this.sharePercent = sharePercent;
    }

    /** Installs it when {@link #PROPERTY} names a headroom; else, or when the JVM has no such pool, does nothing. */
    static synchronized void installFromProperty() {
        String v = System.getProperty(PROPERTY);
        if (v == null || installed) return;
        long headroom;
        int share = DEFAULT_SHARE_PERCENT;
        try {
            headroom = Long.parseLong(v.trim());
            String s = System.getProperty(SHARE_PROPERTY);
            if (s != null) share = Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return; // a property railyard's launcher did not write: not this policy's to guess
        }
        if (headroom > 0 && share > 0) install(headroom, share);
    }

    /**
     * Installs the collector on the old generation with at least {@code minHeadroomBytes}, and at least
     * {@code sharePercent} percent of the live objects, above the live objects; returns it, or null
     * when there is no old-generation pool with thresholds.
     */
    static synchronized OldGenerationCollector install(long minHeadroomBytes, int sharePercent) {
        if (sharePercent < 1) throw new IllegalArgumentException("sharePercent must be >= 1, was " + sharePercent);
        if (installed) return null;
        if (ManagementFactory.getRuntimeMXBean().getInputArguments().contains("-XX:+DisableExplicitGC")) return null;
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getType() != MemoryType.HEAP || !p.isUsageThresholdSupported() || !p.isCollectionUsageThresholdSupported())
                continue;
            String name = p.getName();
            if (!name.equals("Tenured Gen")) continue; // Serial's old generation, the one that needs it
            OldGenerationCollector c = new OldGenerationCollector(p, minHeadroomBytes, sharePercent);
            ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener(c, null, null);
            p.setUsageThreshold(minHeadroomBytes);
            installed = true;
            return c;
        }
        return null;
    }

    /** Full collections it has asked for so far. */
    int collections() {
        return collections;
    }

    @Override
    public void handleNotification(Notification n, Object handback) {
        if (!MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED.equals(n.getType())) return;
        if (!(n.getUserData() instanceof CompositeData data)
                || !pool.getName().equals(MemoryNotificationInfo.from(data).getPoolName())) return;
        System.gc();
        collections++;
        MemoryUsage after = pool.getCollectionUsage();
        long live = after == null ? pool.getUsage().getUsed() : after.getUsed();
        pool.setUsageThreshold(threshold(live, minHeadroom, sharePercent));
    }

    /** The old generation's next threshold after a full collection left {@code live} bytes. */
    static long threshold(long live, long minHeadroom, int sharePercent) {
        return live + Math.max(minHeadroom, live * sharePercent / 100);
    }
}
