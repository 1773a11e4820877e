package io.railyard.bench.compare;

import java.util.List;
import java.util.Map;

/**
 * The cells of a comparison, found the way every row finds them: a work on a model at the
 * concurrency the table shows for that work ({@link CompareResult.Work#tableC()}). A row that asks
 * for a cell gets the cell, or the reason there is none to show.
 *
 * <p>Immutable over maps its owner does not change; thread-safe then.
 */
record CellLookup(CompareResult.Machine machine, Map<String, CompareResult.Work> works, Map<String, Cell> cells) {

    /** The concurrency at which the table shows {@code work}; the cores when it was not run. */
    int tableC(String work) {
        CompareResult.Work w = works.get(work);
        return w == null ? machine.cores() : w.tableC();
    }

    /** The table's cell of a work on a model with counted trials, or (a String) the reason there is none. */
    Object cell(String work, String model) {
        if (!works.containsKey(work)) return "the " + work + " workload was not run (not selected, or not in this build)";
        Cell c = cells.get(Cell.id(work, model, tableC(work)));
        if (c == null) return work + " was not run on " + model;
        if (!c.ok()) return c.reason();
        if (c.trials().isEmpty()) return work + " on " + model + " has no counted trial";
        return c;
    }

    /** The ids of those cells that exist, each once: a figure links only to samples that are there. */
    List<String> existing(String... ids) {
        return java.util.Arrays.stream(ids).filter(cells::containsKey).distinct().toList();
    }

    /** A figure with no value: {@code reason}, linked to the table's cell of the work on the model if there is one. */
    Table.Figure missing(Object reason, String work, String model) {
        return Table.Figure.none((String) reason, existing(Cell.id(work, model, tableC(work))));
    }
}
