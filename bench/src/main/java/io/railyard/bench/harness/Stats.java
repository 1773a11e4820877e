package io.railyard.bench.harness;

import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** Medians and ranges over trials. Stateless. */
public final class Stats {
    private Stats() {}

    public static double median(double[] values) {
        if (values.length == 0) return Double.NaN;
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    public static <T> double median(List<T> items, ToDoubleFunction<T> f) {
        return median(items.stream().mapToDouble(f).toArray());
    }

    public static <T> double min(List<T> items, ToDoubleFunction<T> f) {
        return items.stream().mapToDouble(f).min().orElse(Double.NaN);
    }

    public static <T> double max(List<T> items, ToDoubleFunction<T> f) {
        return items.stream().mapToDouble(f).max().orElse(Double.NaN);
    }
}
