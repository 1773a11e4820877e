package io.railyard.bench.harness;

import io.railyard.core.autoscale.Budget;
import io.railyard.core.probe.ResourceSampler.Sample;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** How a sampled run is judged against a budget: memory samples over the line, 2 s CPU windows over the rate. */
class BudgetCheckTest {

    static final long MIB = 1L << 20;
    static final Budget BUDGET = new Budget(100 * MIB, 1.0, 8, 0);

    /** {@code n} samples 20 ms apart, RSS and CPU rate given per sample. */
    static List<Sample> series(int n, java.util.function.IntToLongFunction rss, java.util.function.IntToDoubleFunction cores) {
        List<Sample> s = new ArrayList<>();
        long cpu = 0;
        for (int i = 0; i < n; i++) {
            if (i > 0) cpu += (long) (cores.applyAsDouble(i) * 20_000_000L);
            s.add(new Sample(i * 20_000_000L, cpu, rss.applyAsLong(i), 1, 10));
        }
        return s;
    }

    @Test
    void aRunInsideTheBudgetIsKept() {
        BudgetCheck c = BudgetCheck.of(BUDGET, series(500, i -> 90 * MIB, i -> 0.9));
        assertTrue(c.kept());
        assertEquals(0, c.breaches());
        assertEquals(500, c.memorySamples());
        assertEquals(90 * MIB, c.peakRssBytes());
        assertEquals(0.9, c.peakCpuCores(), 0.01);
        assertTrue(c.cpuWindows() > 350, "every sample 2 s or more into the run ends a window: " + c.cpuWindows());
    }

    @Test
    void everySampleOverTheMemoryLineIsABreach() {
        BudgetCheck c = BudgetCheck.of(BUDGET, series(100, i -> i >= 40 && i < 43 ? 101 * MIB : 50 * MIB, i -> 0.1));
        assertEquals(3, c.memoryBreaches());
        assertEquals(101 * MIB, c.peakRssBytes());
        assertFalse(c.kept());
    }

    @Test
    void cpuIsARateJudgedOverTwoSecondsWithTickTolerance() {
        // 1.04 cores on a budget of 1: within the 5% tolerance for /proc's clock ticks
        assertTrue(BudgetCheck.of(BUDGET, series(400, i -> MIB * 40, i -> 1.04)).kept());
        // a burst of 3 cores for 0.2 s lifts 2 s windows to 1.2 cores: over
        BudgetCheck burst = BudgetCheck.of(BUDGET, series(400, i -> MIB * 40, i -> i >= 200 && i < 210 ? 3.0 : 1.0));
        assertTrue(burst.cpuBreaches() > 0);
        assertEquals(0, burst.memoryBreaches());
        assertEquals(1.2, burst.peakCpuCores(), 0.02);
    }
}
