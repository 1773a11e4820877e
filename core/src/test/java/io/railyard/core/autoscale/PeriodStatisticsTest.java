package io.railyard.core.autoscale;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** {@link PeriodStatistics}: how long a period lasts and what its summary says, from hand-built samples. */
class PeriodStatisticsTest {

    static final long SAMPLE = 50_000_000L;

    /**
     * A sample at {@code nanos}: {@code inFlight} tasks, CPU used so far, tasks finished so far
     * (each of {@code taskNanos}), answers and overloads so far.
     */
    static Observation at(long nanos, int inFlight, long cpuNanos, long completed, long taskNanos, long responses, long overloads) {
        double seconds = taskNanos / 1e9;
        return new Observation(nanos, new LoadReading(100L << 20, cpuNanos, 0, 0, -1), inFlight, 10, -1,
                completed, completed * taskNanos, completed * seconds * seconds, responses, overloads);
    }

    @Test
    void aPeriodLastsAQuarterSecondUntilTasksFinishThenThreeMeanTaskDurations() {
        PeriodStatistics p = new PeriodStatistics();
        Observation start = at(0, 4, 0, 0, 0, 0, 0);
        p.begin(start);
        Observation prev = start;
        int samples = 0;
        boolean over = false;
        while (!over) {
            Observation o = at((samples + 1) * SAMPLE, 4, 0, 0, 0, 0, 0);
            over = p.add(o, prev, 4);
            prev = o;
            samples++;
        }
        assertEquals(5, samples, "250 ms of 50 ms samples");
        assertEquals(-1, p.meanTaskNanos());

        // 40 tasks of 200 ms finished over the first period: the next lasts 600 ms
        Observation end = at(6 * SAMPLE, 4, 0, 40, 200_000_000L, 0, 0);
        p.add(end, prev, 4);
        p.summarize(end);
        assertEquals(200_000_000, p.meanTaskNanos(), 1);
        p.begin(end);
        prev = end;
        samples = 0;
        over = false;
        while (!over) {
            Observation o = at(end.nanos() + (samples + 1) * SAMPLE, 4, 0, 40, 200_000_000L, 0, 0);
            over = p.add(o, prev, 4);
            prev = o;
            samples++;
        }
        assertEquals(12, samples, "three mean task durations");
    }

    @Test
    void theSummaryCarriesCpuThroughputSpreadAndOverloadShare() {
        PeriodStatistics p = new PeriodStatistics();
        Observation start = at(0, 8, 0, 0, 100_000_000L, 0, 0);
        p.begin(start);
        Observation prev = start;
        for (int i = 1; i <= 10; i++) {
            // 8 tasks of 100 ms, 1.5 cores, 80 tasks/s, 20 answers a sample of which 2 say overloaded
            Observation o = at(i * SAMPLE, 8, i * 75_000_000L, i * 4L, 100_000_000L, i * 20L, i * 2L);
            p.add(o, prev, 8);
            prev = o;
        }
        assertEquals(1.5, p.cpuSoFar(prev), 1e-9);
        PeriodStatistics.Summary s = p.summarize(prev);
        assertEquals(1.5, s.cpuCores(), 1e-9);
        assertEquals(1.5, s.cpuCores2s(), 1e-9);
        assertEquals(8, s.running(), 1e-9);
        assertEquals(40, s.done());
        assertEquals(0, s.spread(), 1e-6, "every task took 100 ms");
        assertEquals(80, s.littleTasksPerS(), 1e-6, "8 running / 0.1 s");
        assertEquals(0.1, s.overloadShare(), 1e-9);
        assertEquals(200, s.responses());
        assertTrue(s.saturated(), "queued tasks while all allowed ran");
        assertEquals(-1, s.maxLagNanos());
    }

    @Test
    void fewAnswersSayNothingAndIdleSlotsAreNotSaturation() {
        PeriodStatistics p = new PeriodStatistics();
        Observation start = at(0, 2, 0, 0, 0, 0, 0);
        p.begin(start);
        assertEquals(0, p.cpuSoFar(start), "no time has passed");
        Observation prev = start;
        for (int i = 1; i <= 5; i++) {
            Observation o = at(i * SAMPLE, 2, 0, 0, 0, 9, 9); // 9 answers, all overloaded, but fewer than 10
            p.add(o, prev, 4); // 2 running of 4 allowed
            prev = o;
        }
        PeriodStatistics.Summary s = p.summarize(prev);
        assertEquals(0, s.overloadShare());
        assertFalse(s.saturated());
        assertEquals(1, s.spread(), "no task finished: spread unknown");
        assertEquals(0, s.littleTasksPerS());
    }
}
