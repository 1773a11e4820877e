package io.railyard.core.autoscale;

import java.util.Locale;

/**
 * The {@link RailyardController}'s phases: how big its next step up is, how hard it backs off, and
 * the step up being judged by the period after it.
 *
 * <pre>
 *   RAMP (x2, x4 per period) --overload / memory--&gt; CLIMB (+1/8, x2 per paid step) --step bought nothing--&gt; HOLD
 *     |                                           ^                                               |
 *     +------------step bought nothing------------|-----------&gt; HOLD --a +1/8 try paid-----------&gt;+
 * </pre>
 *
 * <ul>
 *   <li>{@link Phase#RAMP}: the start; x2 each period, x4 far from every limit.</li>
 *   <li>{@link Phase#CLIMB}: after a back-off, like TCP's congestion avoidance: +1/8 each period,
 *       the step doubling with each step that paid, up to a doubling.</li>
 *   <li>{@link Phase#HOLD}: after a step that bought nothing: stay, and try one +1/8 step after
 *       {@value #FIRST_PROBE_NANOS} ns, the wait doubling after each try that failed, up to
 *       {@value #MAX_PROBE_NANOS} ns.</li>
 * </ul>
 *
 * <p>Not thread-safe: owned by one controller, called from the pool's sampling tick only.
 */
final class ScalingPhases {

    static final long FIRST_PROBE_NANOS = 2_000_000_000L;
    static final long MAX_PROBE_NANOS = 60_000_000_000L;
    /**
     * Multiplicative decrease for loop lag and client overload: x0.7 when the overload follows a
     * doubling (the overshoot may be large), x0.9 when it follows a +1/8 climb (it is small).
     */
    static final double BACK_OFF_AFTER_RAMP = 0.7, BACK_OFF = 0.9;

    enum Phase { RAMP, CLIMB, HOLD }

    /**
     * A step up being judged: the concurrency it left, and the throughput (by Little's law), the
     * finished tasks and the spread of their durations measured there. Immutable.
     */
    record Step(int from, double tasksPerS, long done, double spread) {}

    private Phase phase = Phase.RAMP;
    /** Climb steps in a row that paid: each doubles the next climb step. */
    private int climbs;
    private long lastChangeNanos;
    private long probeEvery = FIRST_PROBE_NANOS;
    /** The step up being judged, or null. */
    private Step judged;

    /** The run starts at {@code nanos}: the first try out of HOLD counts from here. */
    void start(long nanos) {
        lastChangeNanos = nanos;
    }

    Phase phase() {
        return phase;
    }

    /** The phase's name, for decision details. */
    String label() {
        return phase.name().toLowerCase(Locale.ROOT);
    }

    /** The step up waiting to be judged, or null. */
    Step judged() {
        return judged;
    }

    /** The desired concurrency changed (a decision was logged) at {@code nanos}. */
    void changedAt(long nanos) {
        lastChangeNanos = nanos;
    }

    /** A decision other than a step up: no step is judged any more, and climbing starts small again. */
    void forgetStep() {
        judged = null;
        climbs = 0;
    }

    /** How far a back-off cuts: harder right after a doubling, whose overshoot may be large. */
    double backOffFactor() {
        return phase == Phase.RAMP ? BACK_OFF_AFTER_RAMP : BACK_OFF;
    }

    /** A back-off for CPU, loop lag or client overload: climb from here. */
    void backedOff() {
        phase = Phase.CLIMB;
    }

    /** A cut to fit memory; after stopping a task, hold. */
    void cutForMemory(boolean stoppedATask) {
        phase = stoppedATask ? Phase.HOLD : Phase.CLIMB;
    }

    /** The judged step bought less than its share and was undone: hold, and wait longer before the next try if this was one. */
    void stepUndone() {
        if (phase == Phase.HOLD) probeEvery = Math.min(MAX_PROBE_NANOS, probeEvery * 2);
        phase = Phase.HOLD;
    }

    /** The judged step paid: a try out of HOLD climbs on; a climb step doubles the next. */
    void stepPaid() {
        if (phase == Phase.HOLD) phase = Phase.CLIMB;
        else if (phase == Phase.CLIMB) climbs++;
        probeEvery = FIRST_PROBE_NANOS;
        judged = null;
    }

    /** Too few tasks finished to judge the step by: it stays. */
    void stepKept() {
        judged = null;
    }

    /** Whether a step up may be taken at {@code nanos}: always, except in HOLD before the next try is due. */
    boolean mayStepUp(long nanos) {
        return phase != Phase.HOLD || nanos - lastChangeNanos >= probeEvery;
    }

    /**
     * Where a step up from {@code desired} goes, at most {@code cap}: RAMP doubles (quadruples when
     * {@code far} from every limit); otherwise +1/8, doubled for each climb step that paid in a
     * row (up to 8 times), never more than a doubling.
     */
    int stepUpTarget(int desired, int cap, boolean far) {
        int climb = Math.min(desired, Math.max(1, desired / 8) << Math.min(climbs, 3));
        return Math.min(cap, phase == Phase.RAMP ? desired * (far ? 4 : 2) : desired + climb);
    }

    /** A step up was taken; the next period judges it. */
    void steppedUp(Step step) {
        judged = step;
    }
}
