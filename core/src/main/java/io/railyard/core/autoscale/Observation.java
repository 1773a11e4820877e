package io.railyard.core.autoscale;

/**
 * What a {@link Controller} sees on one sample: the load reading and the pool's own counters.
 * Counters are cumulative (a controller takes differences). Immutable.
 *
 * @param nanos          time since the pool opened, from the pool's time source
 * @param load           the tree's memory, CPU and the loop's lag
 * @param inFlight       tasks handed to the model and not finished
 * @param queued         tasks waiting at the gate
 * @param workers        worker processes serving, of a {@link io.railyard.core.Resizable} model, else -1
 * @param completed      tasks finished so far
 * @param completedNanos their summed running time (for the mean task duration)
 * @param completedSquares the sum of their running times squared, in seconds² (for the spread of durations)
 * @param responses      client answers reported so far
 * @param overloads      of which said "overloaded" (429/503)
 */
record Observation(long nanos, LoadReading load, int inFlight, int queued, int workers,
                   long completed, long completedNanos, double completedSquares, long responses, long overloads) {

    /** Running units: tasks in flight, and for worker processes only those with a live worker. */
    double runningUnits() {
        return workers >= 0 ? Math.min(inFlight, workers) : inFlight;
    }

    /** Base memory: the tree without its worker processes (with a resizable model) or the whole tree. */
    long baseRssBytes() {
        return workers >= 0 ? load.rssBytes() - load.descendantsRssBytes() : load.rssBytes();
    }
}
