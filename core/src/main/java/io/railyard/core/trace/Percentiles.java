package io.railyard.core.trace;

import java.util.Arrays;

/**
 * The one way railyard computes a percentile of measured values: nearest rank over the exact
 * values, the smallest value at or below which at least {@code p} percent of them lie (rank
 * {@code ceil(p / 100 x n)}). Exact, because every value is kept (trace records, lag samples): no
 * histogram buckets, so a figure recomputed by hand from {@code results.json} is the same number.
 * {@code run --json}, compare's table and report, and the loop's lag all use it.
 *
 * <p>Stateless and thread-safe.
 */
public final class Percentiles {
    private Percentiles() {}

    /** The {@code p}-th percentile (0 &lt; p &lt;= 100) of {@code sorted} (ascending); NaN when it is empty. */
    public static double nearestRank(long[] sorted, int n, double p) {
        if (n <= 0) return Double.NaN;
        return sorted[rank(n, p)];
    }

    /** The {@code p}-th percentile of the first {@code n} of {@code values}, which it sorts in place; NaN when empty. */
    public static double ofUnsorted(long[] values, int n, double p) {
        if (n <= 0) return Double.NaN;
        Arrays.sort(values, 0, n);
        return values[rank(n, p)];
    }

    /** The 0-based index of the nearest rank of {@code p} among {@code n} sorted values. */
    public static int rank(int n, double p) {
        int rank = (int) Math.ceil(p / 100.0 * n);
        return Math.max(0, Math.min(n - 1, rank - 1));
    }
}
