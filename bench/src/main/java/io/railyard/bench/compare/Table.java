package io.railyard.bench.compare;

import java.util.List;
import java.util.Map;

/**
 * The seed's comparison table, measured: one row per question, one column per model. Each figure
 * names the cells whose samples it was computed from, or says why there is none.
 */
public record Table(List<String> columns, List<Row> rows) {

    /**
     * @param how     how the figure is computed from the samples (shown in the report)
     * @param figures column (model name) to figure
     * @param seedRow the seed table's row this row answers, in the seed's words ({@link SeedIndex}), or null
     */
    public record Row(String key, String title, String how, Map<String, Figure> figures, String seedRow) {
        /** A row of railyard's own, answering none of the seed's rows. */
        public Row(String key, String title, String how, Map<String, Figure> figures) {
            this(key, title, how, figures, null);
        }

        /** This row, marked as answering the seed's row {@code seedRow}. */
        public Row withSeedRow(String seedRow) {
            return new Row(key, title, how, figures, seedRow);
        }
    }

    /**
     * One figure: its text, the median value and the min-max over trials (null when not numeric),
     * the ids of the cells it came from, and a reason when there is no value.
     */
    public record Figure(String text, Double value, Double min, Double max, List<String> cells, String reason) {
        public static Figure none(String reason, List<String> cells) {
            return new Figure("-", null, null, null, cells, reason);
        }

        public boolean present() {
            return reason == null;
        }

        /** The same figure with {@code more} after its text (a unit's bound, where it was measured). */
        public Figure withText(String more) {
            return new Figure(text + more, value, min, max, cells, reason);
        }
    }

    public Row row(String key) {
        for (Row r : rows) if (r.key().equals(key)) return r;
        return null;
    }
}
