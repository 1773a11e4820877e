package io.railyard.core.autoscale;

/**
 * What a {@link Controller} tells the pool after a sample. Immutable.
 *
 * @param desired the desired concurrency (what decisions log)
 * @param limit   the most tasks the gate may have in flight now: {@code desired}, or less while
 *                memory has no room for more
 * @param workers worker processes to keep (for a {@link io.railyard.core.Resizable} model)
 * @param stop    running tasks to stop now, youngest first, to keep memory under the budget
 */
record Verdict(int desired, int limit, int workers, int stop) {
}
