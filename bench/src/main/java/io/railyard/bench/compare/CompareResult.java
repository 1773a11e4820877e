package io.railyard.bench.compare;

import java.util.List;

/**
 * Everything {@code railyard compare} measured: the machine, the configuration, every cell with its
 * raw samples, and the table computed from them. This is {@code results.json}; the terminal table,
 * the CSV and the HTML report are all rendered from it. Immutable.
 *
 * @param wallS how long the whole comparison took
 */
public record CompareResult(int version, String startedAt, double wallS, Machine machine, Config config,
                            List<Model> models, List<Work> workloads, PythonInfo python,
                            List<Cell> cells, Table table) {

    public static final int VERSION = 1;

    /** @param memoryBytes the memory a run may use (container limit or physical) */
    public record Machine(int cores, long memoryBytes, String os, String java, String vm) {}

    /** @param scale quick, default, full (or tiny, in tests) */
    public record Config(String scale, int warmup, int trials, List<String> models, List<String> workloads) {}

    /** A column of the table: a Java model (from {@code Models.all()}) or a CPython one. */
    public record Model(String name, String language, String description) {}

    /** @param tableC the concurrency the table reads this work at (the default scale's highest level) */
    public record Work(String name, String summary, List<Integer> levels, int tableC) {}

    /** Whether CPython ran, which one, and if not, why not. */
    public record PythonInfo(boolean available, String executable, String version, String reason) {}

    /** The cell with this id, or null. */
    public Cell cell(String id) {
        for (Cell c : cells) if (c.id().equals(id)) return c;
        return null;
    }
}
