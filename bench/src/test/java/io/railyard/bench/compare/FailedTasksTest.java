package io.railyard.bench.compare;

import io.railyard.bench.harness.RunResult;
import io.railyard.bench.harness.Trial;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** A cell whose run had failed tasks is a failed cell, with how many and why, not a figure. */
class FailedTasksTest {

    @Test
    void aRunWithAFailedTaskInAnyTrialSaysHowManyAndWhy() {
        RunResult r = run(List.of(trial(10, 0), trial(7, 3)), Map.of("ClassNotFoundException", 3L));
        assertEquals("3 of 20 tasks failed {ClassNotFoundException=3}", CompareRunner.failedTasks(r, 10));
        assertEquals("1 of 10 tasks failed", CompareRunner.failedTasks(run(List.of(trial(9, 1)), Map.of()), 10));
    }

    @Test
    void aRunWhoseTasksAllSucceededHasItsFigures() {
        assertNull(CompareRunner.failedTasks(run(List.of(trial(10, 0), trial(10, 0)), Map.of()), 10));
    }

    private static Trial trial(long ok, long failed) {
        return new Trial(1, 1, 1 << 20, ok, failed, 0, 0, 0, 0, 1, 1, false, List.of(), List.of(), null, null, Map.of(), Map.of());
    }

    private static RunResult run(List<Trial> trials, Map<String, Long> failures) {
        return new RunResult("tiny", "processes", 10, 2, 1, 1, 1 << 20, 0, 10, 0, 0, 0, 0, 0, 0, "warm", 0, Map.of(), trials,
                failures, false, null, 0, 0, 0);
    }
}
