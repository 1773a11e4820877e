package io.railyard.core.autoscale;

import io.railyard.core.autoscale.ScalingPhases.Phase;
import io.railyard.core.autoscale.ScalingPhases.Step;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

/** {@link ScalingPhases}: the size of each step up, the back-off factor, and when HOLD tries again. */
class ScalingPhasesTest {

    static final long S = 1_000_000_000L;

    @Test
    void rampDoublesOrQuadruplesFarFromEveryLimitAndBacksOffHarder() {
        ScalingPhases p = new ScalingPhases();
        p.start(0);
        assertEquals(Phase.RAMP, p.phase());
        assertEquals(16, p.stepUpTarget(8, 100, false));
        assertEquals(32, p.stepUpTarget(8, 100, true));
        assertEquals(20, p.stepUpTarget(8, 20, true), "capped");
        assertEquals(ScalingPhases.BACK_OFF_AFTER_RAMP, p.backOffFactor());
        assertTrue(p.mayStepUp(0));
    }

    @Test
    void climbingAddsAnEighthDoublingWithEveryStepThatPaidUpToADoubling() {
        ScalingPhases p = new ScalingPhases();
        p.start(0);
        p.backedOff();
        assertEquals(Phase.CLIMB, p.phase());
        assertEquals(ScalingPhases.BACK_OFF, p.backOffFactor());
        assertEquals(72, p.stepUpTarget(64, 1000, true), "+1/8, far or not");
        int[] expected = {80, 96, 128, 128};
        for (int want : expected) {
            p.steppedUp(new Step(64, 100, 50, 0.1));
            p.stepPaid();
            assertEquals(want, p.stepUpTarget(64, 1000, false));
        }
        assertEquals(2, p.stepUpTarget(1, 1000, false), "at least one more");
        p.forgetStep();
        assertEquals(72, p.stepUpTarget(64, 1000, false), "another decision: climbing starts small again");
    }

    @Test
    void holdTriesAgainAfterTwoSecondsWaitingTwiceAsLongAfterEachFailedTryUpToAMinute() {
        ScalingPhases p = new ScalingPhases();
        p.start(0);
        p.steppedUp(new Step(4, 100, 50, 0.1));
        p.forgetStep();
        p.stepUndone();
        p.changedAt(10 * S);
        assertEquals(Phase.HOLD, p.phase());
        assertNull(p.judged());
        assertFalse(p.mayStepUp(11 * S));
        assertTrue(p.mayStepUp(12 * S));
        long wait = 2 * S;
        for (int i = 0; i < 8; i++) {
            p.stepUndone(); // a try out of HOLD that did not pay
            wait = Math.min(60 * S, wait * 2);
            p.changedAt(100 * S);
            assertFalse(p.mayStepUp(100 * S + wait - 1));
            assertTrue(p.mayStepUp(100 * S + wait));
        }
        p.stepPaid();
        assertEquals(Phase.CLIMB, p.phase(), "a try that paid climbs on");
        p.stepUndone();
        p.changedAt(200 * S);
        assertTrue(p.mayStepUp(202 * S), "the wait is back at 2 s");
    }

    @Test
    void memoryCutsClimbOrAfterAStopHold() {
        ScalingPhases p = new ScalingPhases();
        p.start(0);
        p.cutForMemory(false);
        assertEquals(Phase.CLIMB, p.phase());
        p.cutForMemory(true);
        assertEquals(Phase.HOLD, p.phase());
        p.steppedUp(new Step(3, 10, 10, 0.2));
        assertEquals(3, p.judged().from());
        p.stepKept();
        assertNull(p.judged());
    }
}
