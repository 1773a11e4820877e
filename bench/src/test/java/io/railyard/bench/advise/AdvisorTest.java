package io.railyard.bench.advise;

import io.railyard.bench.advise.example.HashRounds;
import io.railyard.bench.harness.Harness;
import io.railyard.bench.harness.RunResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** What advise measures and what it refuses to recommend from. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class AdvisorTest {

    private final int cores = Runtime.getRuntime().availableProcessors();
    private final Advisor advisor = new Advisor(new HashRounds(), List.of("1", "2"), List.of("threads", "loop"), 0.2, Harness.Listener.NONE);

    private static Advisor.Point point(String model, int c, double rate) {
        return new Advisor.Point(model, c, 100, 1, 1, rate, 0.95, 0, 0.01, 0.5, 10, null);
    }

    @Test
    void aSpeedUpBeyondTheCoresIsSuspectAndOneWithinThemIsNot() {
        // a CPU-bound task (95% on the CPU): 256 times the concurrency cannot beat the cores
        String why = advisor.suspectScaling(List.of(point("threads", 1, 100), point("threads", 256, 100.0 * cores * 2)), 0.95);
        assertNotNull(why, "twice the cores' worth of speed-up");
        assertTrue(why.contains("suspect") && why.contains(cores + " cores"), why);
        assertNull(advisor.suspectScaling(List.of(point("threads", 1, 100), point("threads", 256, 100.0 * cores)), 0.95),
                "the cores' worth of speed-up is what the machine allows");
        // a task that mostly waits may scale far beyond the cores
        assertNull(advisor.suspectScaling(List.of(point("threads", 1, 100), point("threads", 64, 100.0 * 50)), 0.01));
    }

    @Test
    void eachModelsEvidenceSaysHowItScaledOrThatItDidNot() {
        List<Advisor.Point> ok = List.of(point("threads", 1, 400), point("threads", 2, 780), point("virtual", 1, 419), point("virtual", 2, 410));
        List<String> e = advisor.evidence(0.95, ok.get(1), ok, java.util.Map.of(), false);
        assertTrue(e.stream().anyMatch(l -> l.startsWith("threads: ") && l.endsWith("scaling 1.95x from C=1 to C=2")), e.toString());
        assertTrue(e.stream().anyMatch(l -> l.startsWith("virtual: ") && l.endsWith("no scaling: C=1 was the fastest (C=2: 0.98x)")), e.toString());
    }

    @Test
    void anEventLoopRunningBlockingCallsCannotSpeedUpAtAll() {
        String why = advisor.suspectScaling(List.of(point("loop", 1, 100), point("loop", 8, 200)), 0.95);
        assertNotNull(why);
        assertTrue(why.contains("one event-loop thread"), why);
        assertNull(advisor.suspectScaling(List.of(point("loop", 1, 100), point("loop", 8, 105)), 0.95));
    }

    @Test
    void aPointIsMeasuredAfterItsPoolIsOpenAndWarm() throws Exception {
        TaskWorkload w = new TaskWorkload(new HashRounds(), List.of("1", "2", "3"), 40, 60, 0.2);
        RunResult r = new Harness(Map.of(), Harness.Listener.NONE).run(w, "threads", 2, 0, 1);
        TaskWorkload.Measured m = w.measured();
        assertTrue(m.warmupCalls() >= 2, "each slot warmed: " + m);
        assertEquals(40, m.ok(), "every measured call, none of the warm-up");
        assertEquals(40 + m.warmupCalls(), r.trials().get(0).ok(), "the trial ran both");
        // the measured span starts after the pool opened and after every warm-up call ended: the warm-up
        // calls all began before it, the measured ones all in it
        List<io.railyard.core.trace.TaskRecord> records = r.trials().get(0).records();
        assertEquals(m.warmupCalls(), records.stream().filter(x -> x.startNanos() < m.fromNanos()).count(), "warm-up calls before the span");
        assertEquals(40, records.stream().filter(x -> x.startNanos() >= m.fromNanos()).count(), "measured calls in it");
        assertTrue(m.seconds() < r.trials().get(0).wallS(), "the measured span is inside the trial, without its start-up and warm-up");
    }
}
