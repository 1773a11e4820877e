package io.railyard.bench.compare;

import java.util.Locale;

/** Number formats shared by the table, the terminal and the report. Stateless. */
public final class Fmt {
    private Fmt() {}

    public static String bytes(double b) {
        double a = Math.abs(b);
        if (a >= 1L << 30) return String.format(Locale.ROOT, "%.2f GiB", b / (1L << 30));
        if (a >= 10L << 20) return String.format(Locale.ROOT, "%.0f MiB", b / (1L << 20));
        if (a >= 1L << 20) return String.format(Locale.ROOT, "%.1f MiB", b / (1L << 20));
        if (a >= 10L << 10) return String.format(Locale.ROOT, "%.0f KiB", b / 1024);
        if (a >= 1024) return String.format(Locale.ROOT, "%.1f KiB", b / 1024);
        return String.format(Locale.ROOT, "%.0f B", b);
    }

    public static String seconds(double s) {
        double a = Math.abs(s);
        if (a >= 10) return String.format(Locale.ROOT, "%.1f s", s);
        if (a >= 1) return String.format(Locale.ROOT, "%.2f s", s);
        if (a >= 0.01) return String.format(Locale.ROOT, "%.0f ms", s * 1e3);
        if (a >= 0.001) return String.format(Locale.ROOT, "%.1f ms", s * 1e3);
        if (a >= 1e-5) return String.format(Locale.ROOT, "%.0f µs", s * 1e6);
        return String.format(Locale.ROOT, "%.1f µs", s * 1e6);
    }

    public static String micros(double us) {
        return seconds(us / 1e6);
    }

    public static String ratio(double r) {
        return String.format(Locale.ROOT, r >= 10 ? "%.0f" : "%.2f", r);
    }

    public static String count(double n) {
        return String.format(Locale.ROOT, "%,.0f", n);
    }
}
