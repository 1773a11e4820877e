package io.railyard.core.autoscale;

import org.junit.jupiter.api.Test;

import static io.railyard.core.autoscale.Plant.MIB;
import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link MemoryProjection}: what a unit costs, the margin, and how many units fit, for in-JVM
 * models (units are running tasks) and worker processes (units are worker JVMs), fed observations
 * built by hand, sample by sample.
 */
class MemoryProjectionTest {

    static final long LIMIT = 1024 * MIB;
    static final long SAMPLE = 50_000_000L;

    /** An in-JVM sample: {@code inFlight} tasks, the tree at {@code rss}. */
    static Observation tasks(long nanos, long rss, int inFlight, long completed) {
        return new Observation(nanos, LoadReading.of(rss, 0), inFlight, 100, -1, completed, 0, 0, 0, 0);
    }

    /** A worker-process sample: {@code workers} JVMs of {@code workerRss} each on a base of {@code base}. */
    static Observation workers(long nanos, long base, int workers, long workerRss, long completed) {
        LoadReading load = new LoadReading(base + workers * workerRss, 0, workers * workerRss, workerRss, -1);
        return new Observation(nanos, load, workers, 100, workers, completed, 0, 0, 0, 0);
    }

    @Test
    void theMarginIsAtLeastAOneSixtyFourthOfTheBudgetAndTwiceTheFastestUnplannedGrowthOfTheLastFiveSeconds() {
        MemoryProjection m = new MemoryProjection(LIMIT, 100);
        Observation first = tasks(0, 200 * MIB, 1, 0);
        m.start(first);
        m.observe(first, first, 1);
        assertEquals(LIMIT / 64, m.margin());
        Observation grew = tasks(SAMPLE, 240 * MIB, 1, 0); // 40 MiB nobody planned: same tasks
        m.observe(grew, first, 1);
        assertEquals(80 * MIB, m.margin());
        Observation prev = grew;
        for (long t = 2 * SAMPLE; t <= 6_000_000_000L; t += SAMPLE) {
            Observation flat = tasks(t, 240 * MIB, 1, 0);
            m.observe(flat, prev, 1);
            prev = flat;
        }
        assertEquals(LIMIT / 64, m.margin(), "a growth older than 5 s is forgotten");
    }

    @Test
    void inJvmTasksCostTheRssRiseOverAQuarterMoreTasksAndCapWhatIsAdmitted() {
        MemoryProjection m = new MemoryProjection(LIMIT, 1000);
        Observation first = tasks(0, 200 * MIB, 4, 0);
        m.start(first);
        m.observe(first, first, 1);
        assertEquals(0, m.unitBytes(), "nothing learned yet");
        assertEquals(8, m.cap(first, m.margin(), -1), "unknown cost: at most a doubling of what runs");
        // 4 more tasks (a rise of 100%), 40 MiB more: 10 MiB a task
        Observation more = tasks(SAMPLE, 240 * MIB, 8, 0);
        m.observe(more, first, 8);
        m.learnMarginal(more, 8, 240 * MIB);
        assertEquals(10 * MIB, m.unitBytes());
        // at the next sample nothing is young any more (the mean task is shorter than a sample)
        Observation settled = tasks(2 * SAMPLE, 240 * MIB, 8, 10);
        m.observe(settled, more, 8);
        long margin = m.margin();
        long room = LIMIT - margin - 240 * MIB;
        assertEquals(8 + (int) (room / (10 * MIB)), m.cap(settled, margin, 1_000_000));
    }

    @Test
    void inJvmTasksAddedWithinAMeanTaskDurationCountAsYoungInTheProjection() {
        MemoryProjection m = new MemoryProjection(LIMIT, 1000);
        Observation first = tasks(0, 200 * MIB, 4, 0);
        m.start(first);
        m.observe(first, first, 1);
        Observation more = tasks(SAMPLE, 240 * MIB, 8, 0);
        m.observe(more, first, 8);
        m.learnMarginal(more, 8, 240 * MIB);
        // 8 more tasks whose memory does not show yet: with a mean task of 1 s, the 12 added since
        // the first sample (4 to 16) are young, and each is projected at 10 MiB
        Observation young = tasks(2 * SAMPLE, 240 * MIB, 16, 0);
        m.observe(young, more, 16);
        long margin = m.margin();
        long projected = 240 * MIB + 12 * 10 * MIB;
        assertEquals(16 + (int) ((LIMIT - margin - projected) / (10 * MIB)), m.cap(young, margin, 1e9));
    }

    @Test
    void workerProcessesFitByTheLargestWorkerAndAnUnsettledOneCountsOneAndAHalfForStepsUp() {
        MemoryProjection m = new MemoryProjection(LIMIT, 100);
        Observation none = workers(0, 100 * MIB, 1, 0, 0);
        m.start(none);
        m.observe(none, none, 1);
        assertEquals(1, m.cap(none, m.margin(), -1), "no worker measured: one, to learn");
        Observation one = workers(SAMPLE, 100 * MIB, 1, 100 * MIB, 0);
        m.observe(one, none, 1);
        assertEquals(100 * MIB, m.unitBytes());
        assertEquals(1, m.workersToAdd(one, m.margin()), "no second worker before a task has finished");
        long margin = m.margin();
        assertEquals((int) ((LIMIT - margin - 100 * MIB) / (100 * MIB)), m.cap(one, margin, -1));
        Observation done = workers(2 * SAMPLE, 100 * MIB, 1, 100 * MIB, 5);
        m.observe(done, one, 1);
        margin = m.margin();
        assertEquals((int) ((LIMIT - margin - 100 * MIB) / (150 * MIB)), m.workersToAdd(done, margin), "unsettled: 1.5 times");
        Observation prev = done;
        for (long t = 3 * SAMPLE; t <= 3_000_000_000L; t += SAMPLE) {
            Observation flat = workers(t, 100 * MIB, 1, 100 * MIB, 5);
            m.observe(flat, prev, 1);
            prev = flat;
        }
        margin = m.margin();
        assertEquals((int) ((LIMIT - margin - 100 * MIB) / (100 * MIB)), m.workersToAdd(prev, margin), "settled after 2 s flat");
    }

    @Test
    void growingMeansAnyRiseForWorkersAndUnplannedGrowthTwiceInARowInJvm() {
        MemoryProjection procs = new MemoryProjection(LIMIT, 100);
        Observation a = workers(0, 100 * MIB, 2, 50 * MIB, 1), b = workers(SAMPLE, 103 * MIB, 2, 50 * MIB, 1);
        procs.start(a);
        procs.observe(a, a, 2);
        procs.observe(b, a, 2);
        assertTrue(procs.growing(b, a));
        assertFalse(procs.growing(a, a));

        MemoryProjection jvm = new MemoryProjection(LIMIT, 100);
        Observation x = tasks(0, 200 * MIB, 4, 0), y = tasks(SAMPLE, 210 * MIB, 4, 0), z = tasks(2 * SAMPLE, 220 * MIB, 4, 0);
        jvm.start(x);
        jvm.observe(x, x, 4);
        jvm.observe(y, x, 4);
        assertFalse(jvm.growing(y, x), "one step of growth may be the heap expanding");
        jvm.observe(z, y, 4);
        assertTrue(jvm.growing(z, y), "two in a row: a task allocating");
    }
}
