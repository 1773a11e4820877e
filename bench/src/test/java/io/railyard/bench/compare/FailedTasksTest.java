package io.railyard.bench.compare;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** A cell whose trials had failed tasks is a failed cell, with how many and why, not a figure. */
class FailedTasksTest {

    @Test
    void failedTasksSayHowManyOfHowManyAndWhyWhenKnown() {
        assertEquals("3 of 20 tasks failed {ClassNotFoundException=3}",
                CompareRunner.failedTasks(3, 20, Map.of("ClassNotFoundException", 3L)));
        assertEquals("1 of 10 tasks failed", CompareRunner.failedTasks(1, 10, Map.of()), "CPython's peers give no reasons");
    }

    @Test
    void aCellWhoseTasksAllSucceededHasItsFigures() {
        assertNull(CompareRunner.failedTasks(0, 20, Map.of()));
    }
}
