package io.railyard.core.autoscale;

import io.railyard.core.autoscale.ScalingDecision.Reason;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.railyard.core.autoscale.Plant.MIB;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The two algorithms steering a simulated run ({@link Plant}), sample by sample, with seeded noise:
 * deterministic, no clock, no threads. Each test states a situation and asserts on the decisions.
 */
class ControllerTest {

    static final Budget ROOMY = new Budget(4L << 30, 2, 256, 0);

    static RailyardController railyard(Budget b) {
        return new RailyardController(b, AutoscaleOptions.DEFAULT);
    }

    static CrawleeController crawlee(Budget b) {
        return new CrawleeController(b, AutoscaleOptions.DEFAULT.withMode(AutoscaleOptions.Mode.CRAWLEE));
    }

    static int last(List<ScalingDecision> d, int initial) {
        return d.isEmpty() ? initial : d.get(d.size() - 1).to();
    }

    @Test
    void ioBoundWorkRampsMultiplicativelyToTheMaximumWithinTenSeconds() {
        Plant io = new Plant(1);
        List<ScalingDecision> d = io.run(railyard(ROOMY), 15);
        assertEquals(256, last(d, 1), d.toString());
        ScalingDecision reached = d.stream().filter(x -> x.to() == 256).findFirst().orElseThrow();
        assertTrue(reached.atS() < 10, "reached the maximum at " + reached.atS() + " s");
        assertTrue(d.stream().allMatch(x -> x.reason() == Reason.SCALE_UP), d.toString());
        // doubling: 1 2 4 ... 256 is 8 steps, not 255
        assertTrue(d.size() <= 9, d.toString());
    }

    @Test
    void crawleesDefaultsAddOneTaskPerTenSeconds() {
        Plant io = new Plant(1);
        List<ScalingDecision> d = io.run(crawlee(ROOMY), 65);
        assertEquals(6, d.size(), d.toString());
        for (int i = 0; i < d.size(); i++) {
            assertEquals(i + 1, d.get(i).from());
            assertEquals(i + 2, d.get(i).to());
            assertEquals(10.0 * (i + 1), d.get(i).atS(), 0.06);
            assertEquals(Reason.SCALE_UP, d.get(i).reason());
        }
    }

    @Test
    void cpuBoundWorkStopsAtTheCoresItGets() {
        Plant cpu = new Plant(2);
        cpu.cpuPerTask = 1;
        cpu.cores = 2;
        cpu.taskSeconds = 0.01;
        List<ScalingDecision> d = cpu.run(railyard(ROOMY), 30);
        int settled = last(d, 1);
        assertTrue(settled >= 2 && settled <= 3, "settled at " + settled + ": " + d);
        // the doubling past the cores was undone, or never taken because CPU per task says the budget is full
        assertTrue(d.stream().noneMatch(x -> x.to() > 4), d.toString());
    }

    @Test
    void aCpuBudgetBelowTheMachineHoldsTheConcurrencyUnderIt() {
        Plant cpu = new Plant(3);
        cpu.cpuPerTask = 0.5;
        cpu.cores = 8;
        cpu.taskSeconds = 0.01;
        Budget b = ROOMY.withMaxCpuCores(1.5);
        List<ScalingDecision> d = cpu.run(railyard(b), 20);
        assertEquals(3, last(d, 1), "1.5 cores / 0.5 per task: " + d);
        assertTrue(d.stream().noneMatch(x -> x.to() > 3), d.toString());
    }

    @Test
    void cpuOverTheBudgetScalesDownInProportion() {
        Plant cpu = new Plant(4);
        cpu.cpuPerTask = 0.05;
        cpu.cores = 8;
        Budget b = ROOMY.withMaxCpuCores(1.0);
        RailyardController c = railyard(b);
        List<ScalingDecision> up = cpu.run(c, 5);
        assertEquals(20, last(up, 1), "1 core / 0.05 per task: " + up);
        cpu.cpuPerTask = 0.2; // tasks got heavier (or a neighbour in the tree took CPU)
        List<ScalingDecision> down = cpu.run(c, 3);
        assertFalse(down.isEmpty());
        ScalingDecision first = down.get(0);
        assertEquals(Reason.CPU, first.reason(), down.toString());
        assertTrue(first.to() == 4 || first.to() == 5, "20 tasks x 0.2 cores = 4 cores on a budget of 1: down to 5 at once"
                + " (4 with a clock tick of noise), not 5% per 10 s: " + first);
        assertTrue(first.atS() - 5 < 1.1, "within a decision period: " + first);
    }

    @Test
    void memoryCapsTheConcurrencyAtWhatFitsAndIsNeverCrossed() {
        Plant mem = new Plant(5);
        mem.baseRss = 100 * MIB;
        mem.perUnitRss = 20 * MIB;
        Budget b = ROOMY.withMaxMemoryBytes(400 * MIB);
        List<ScalingDecision> d = mem.run(railyard(b), 20);
        int settled = last(d, 1);
        assertTrue(mem.peakRss <= b.maxMemoryBytes(), "peak " + mem.peakRss / MIB + " MiB");
        // (400 - 100 - margin 6.25) / 20 = 14 fit; the learned per-task memory is a little conservative
        assertTrue(settled >= 11 && settled <= 14, "settled at " + settled + ": " + d);
        assertTrue(mem.limits.stream().allMatch(l -> l <= 14), "the gate never let more than fit run");
    }

    @Test
    void workerProcessesStartOnlyWhenOneFits() {
        Plant procs = new Plant(6);
        procs.workers = true;
        procs.baseRss = 120 * MIB;
        procs.perUnitRss = 90 * MIB;
        procs.cpuPerTask = 0.001;
        Budget b = ROOMY.withMaxMemoryBytes(512 * MIB);
        List<ScalingDecision> d = procs.run(railyard(b), 20);
        // (512 - 120 - 8 margin) / 90 = 4 workers
        assertEquals(4, procs.limit(), d.toString());
        assertTrue(procs.peakRss <= b.maxMemoryBytes(), "peak " + procs.peakRss / MIB + " MiB");
        assertTrue(procs.limits.stream().allMatch(l -> l <= 4), procs.limits.toString());
    }

    @Test
    void memoryGrowingFromElsewhereScalesDownBeforeTheLimit() {
        Plant mem = new Plant(7);
        mem.baseRss = 100 * MIB;
        mem.perUnitRss = 10 * MIB;
        mem.growthPerS = 40 * MIB; // another process in the tree, from 6 s on
        mem.growFromS = 6;
        Budget b = ROOMY.withMaxMemoryBytes(600 * MIB).withMaxConcurrency(32);
        List<ScalingDecision> d = mem.run(railyard(b), 14);
        assertEquals(32, d.stream().filter(x -> x.reason() == Reason.SCALE_UP).mapToInt(ScalingDecision::to).max().orElse(0));
        List<ScalingDecision> downs = d.stream().filter(x -> x.reason() == Reason.MEMORY).toList();
        assertFalse(downs.isEmpty(), d.toString());
        for (ScalingDecision x : downs) {
            assertTrue(x.down());
            assertTrue(x.rssBytes() < b.maxMemoryBytes(), "decided before the limit: " + x);
        }
        assertTrue(mem.peakRss <= b.maxMemoryBytes(), "peak " + mem.peakRss / MIB + " MiB");
    }

    @Test
    void crawleeNoticesMemoryOnlyAboveSeventyPercentAndStepsDownSlowly() {
        Plant mem = new Plant(8);
        mem.baseRss = 100 * MIB;
        mem.perUnitRss = 30 * MIB;
        Budget b = ROOMY.withMaxMemoryBytes(300 * MIB);
        List<ScalingDecision> d = mem.run(crawlee(b), 120);
        // 0.7 x 300 = 210 MiB is reached at 4 tasks; it goes on at +1 per 10 s until the history says overloaded
        assertTrue(d.stream().anyMatch(x -> x.reason() == Reason.MEMORY && x.down()), d.toString());
        assertTrue(d.stream().allMatch(x -> Math.abs(x.to() - x.from()) == 1), "5% of a small number is one step: " + d);
    }

    @Test
    void tooManyOverloadAnswersBackOffThenHold() {
        Plant client = new Plant(9);
        client.serverCapacity = 12;
        List<ScalingDecision> d = client.run(railyard(ROOMY), 30);
        ScalingDecision backOff = d.stream().filter(x -> x.reason() == Reason.CLIENT).findFirst().orElseThrow(() -> new AssertionError(d));
        assertTrue(backOff.down() && backOff.clientOverloadShare() > 0.05, backOff.toString());
        assertTrue(backOff.from() > 12);
        // then a saw-tooth just around the server's capacity: not back at the maximum, not down at 1
        for (ScalingDecision x : d.subList(d.indexOf(backOff), d.size()))
            assertTrue(x.to() >= 9 && x.to() <= 15, "after the first back-off: " + x + " in " + d);
    }

    @Test
    void aLaggingLoopBacksOff() {
        Plant loop = new Plant(10);
        loop.lagMsPerTask = 1; // 1 ms of lag per task in flight: over 50 ms from 51 tasks
        List<ScalingDecision> d = loop.run(railyard(ROOMY.withMaxConcurrency(128)), 20);
        int first = 0;
        while (first < d.size() && d.get(first).reason() != Reason.LOOP_LAG) first++;
        assertTrue(first < d.size(), "no back-off: " + d);
        assertTrue(d.get(first).down() && d.get(first).lagMs() > 50, d.get(first).toString());
        // then a saw-tooth around the 50 tasks the loop can carry, never past the first overshoot again
        for (ScalingDecision x : d.subList(first, d.size()))
            assertTrue(x.to() >= 35 && x.to() <= d.get(first).from(), "after the first back-off: " + x + " in " + d);
    }

    @Test
    void crawleeCountsAnOverloadedLoopSnapshotAtFiftyMilliseconds() {
        Plant loop = new Plant(11);
        loop.lagMsPerTask = 60; // every snapshot is over 50 ms from the first task on
        CrawleeController c = crawlee(ROOMY);
        List<ScalingDecision> d = loop.run(c, 35);
        assertTrue(d.isEmpty(), "never scales up while the loop is overloaded: " + d);
        assertEquals(1, c.desired());
    }

    @Test
    void aStepThatBuysNothingIsUndone() {
        Plant server = new Plant(12);
        // a server whose capacity is 6 concurrent requests, but that queues instead of answering 429:
        // more concurrency only adds latency (throughput flat); seen as "no gain"
        server.cpuPerTask = 1.0 / 6;
        server.cores = 1;
        List<ScalingDecision> d = server.run(railyard(ROOMY.withMaxCpuCores(64)), 20);
        assertTrue(d.stream().anyMatch(x -> x.reason() == Reason.NO_GAIN), d.toString());
        int settled = last(d, 1);
        assertTrue(settled >= 4 && settled <= 8, "settled at " + settled + ": " + d);
    }

    @Test
    void optionsCarryCrawleesLagThreshold() {
        assertEquals(Duration.ofMillis(50), AutoscaleOptions.DEFAULT.maxLag());
        assertEquals(AutoscaleOptions.Mode.CRAWLEE, AutoscaleOptions.Mode.parse("Crawlee"));
        assertThrows(IllegalArgumentException.class, () -> AutoscaleOptions.Mode.parse("fast"));
    }
}
