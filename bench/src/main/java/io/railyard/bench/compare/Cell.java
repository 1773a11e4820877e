package io.railyard.bench.compare;

import java.util.List;
import java.util.Map;

/**
 * One cell of the comparison: a workload at one concurrency on one model, its counted trials, or
 * the reason it did not run. Immutable once built.
 *
 * @param id       stable name, e.g. {@code cpu.threads.c2}, the anchor the report links to
 * @param language {@code java} or {@code python}
 * @param status   {@code ok}, {@code skipped} (not run, see reason) or {@code failed} (ran and broke)
 * @param limitS   the physical limit of the work at this concurrency (0 when not run)
 */
public record Cell(String id, String model, String language, String work, int c, String status, String reason,
                   double limitS, Map<String, Object> params, List<CellTrial> trials) {

    public static final String OK = "ok", SKIPPED = "skipped", FAILED = "failed";

    public static String id(String work, String model, int c) {
        return work + "." + model + ".c" + c;
    }

    static Cell skipped(String work, String model, String language, int c, String reason) {
        return new Cell(id(work, model, c), model, language, work, c, SKIPPED, reason, 0, Map.of(), List.of());
    }

    static Cell failed(String work, String model, String language, int c, String reason) {
        return new Cell(id(work, model, c), model, language, work, c, FAILED, reason, 0, Map.of(), List.of());
    }

    public boolean ok() {
        return OK.equals(status);
    }
}
