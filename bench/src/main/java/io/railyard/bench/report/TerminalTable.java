package io.railyard.bench.report;

import io.railyard.bench.compare.CompareResult;
import io.railyard.bench.compare.Fmt;
import io.railyard.bench.compare.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The compare table as plain text for a terminal: one block per language (Java's models, then
 * CPython's), cells word-wrapped to a fixed width, every missing figure replaced by a numbered
 * note that states its reason, and below them how each row is measured, in the words of the
 * report and the JSON. Stateless.
 */
public final class TerminalTable {
    private TerminalTable() {}

    private static final int TITLE_WIDTH = 26, CELL_WIDTH = 22, DEFINITION_WIDTH = 110;

    public static String render(CompareResult r) {
        StringBuilder out = new StringBuilder();
        CompareResult.Machine m = r.machine();
        out.append(String.format("railyard compare: %d cores, %s, Java %s; %s scale, %d warm-up (for work a warm JIT changes) + %d trials per Java cell%s (median, min–max)%n",
                m.cores(), Fmt.bytes(m.memoryBytes()), m.java(), r.config().scale(), r.config().warmup(), r.config().trials(),
                r.python().available() ? ", " + r.config().trials() + " trials per CPython cell (a fresh interpreter each: no warm-up)" : ""));
        Map<String, Integer> notes = new LinkedHashMap<>();
        for (String lang : List.of("java", "python")) {
            List<String> cols = r.models().stream().filter(x -> x.language().equals(lang)).map(CompareResult.Model::name).toList();
            if (cols.isEmpty()) continue;
            out.append('\n').append(lang.equals("java") ? "Java" : "CPython" + (r.python().available() ? " " + r.python().version() : ""));
            out.append('\n');
            block(out, r.table(), cols, notes);
        }
        if (!r.python().available() && r.python().reason() != null)
            out.append("\nCPython: not measured: ").append(r.python().reason()).append('\n');
        out.append("\nHow each row is measured\n");
        for (Table.Row row : r.table().rows()) {
            List<String> lines = wrap(titled(row) + ": " + row.how(), DEFINITION_WIDTH);
            for (int i = 0; i < lines.size(); i++) out.append(i == 0 ? "  " : "    ").append(lines.get(i)).append('\n');
        }
        if (!notes.isEmpty()) {
            out.append("\nNotes\n");
            notes.forEach((reason, n) -> out.append(String.format("  [%d] %s%n", n, reason)));
        }
        out.append(String.format("%ncompare took %s%n", Fmt.seconds(r.wallS())));
        return out.toString();
    }

    private static void block(StringBuilder out, Table t, List<String> cols, Map<String, Integer> notes) {
        List<List<String>> header = new ArrayList<>();
        header.add(wrap("", TITLE_WIDTH));
        for (String c : cols) header.add(wrap(c, CELL_WIDTH));
        line(out, cols.size());
        emit(out, header);
        line(out, cols.size());
        for (Table.Row row : t.rows()) {
            List<List<String>> cells = new ArrayList<>();
            cells.add(wrap(titled(row), TITLE_WIDTH));
            for (String c : cols) {
                Table.Figure f = row.figures().get(c);
                String text;
                if (f == null) text = "";
                else if (f.present()) text = f.text();
                else text = "n/a [" + notes.computeIfAbsent(f.reason(), k -> notes.size() + 1) + "]";
                cells.add(wrap(text, CELL_WIDTH));
            }
            emit(out, cells);
        }
        line(out, cols.size());
    }

    /** A row's title with the seed's row it answers, so a reader holding the seed finds it. */
    static String titled(Table.Row row) {
        return row.seedRow() == null ? row.title() : row.title() + " [seed: " + row.seedRow() + "]";
    }

    private static void line(StringBuilder out, int cols) {
        out.append("-".repeat(TITLE_WIDTH));
        for (int i = 0; i < cols; i++) out.append("-+-").append("-".repeat(CELL_WIDTH));
        out.append('\n');
    }

    private static void emit(StringBuilder out, List<List<String>> cells) {
        int lines = cells.stream().mapToInt(List::size).max().orElse(1);
        for (int i = 0; i < lines; i++) {
            StringBuilder l = new StringBuilder();
            for (int c = 0; c < cells.size(); c++) {
                String s = i < cells.get(c).size() ? cells.get(c).get(i) : "";
                int w = c == 0 ? TITLE_WIDTH : CELL_WIDTH;
                if (c > 0) l.append(" | ");
                l.append(s).append(" ".repeat(Math.max(0, w - s.length())));
            }
            out.append(l.toString().stripTrailing()).append('\n');
        }
    }

    /** Greedy word wrap; a word longer than the width is cut. */
    static List<String> wrap(String text, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String word : text.split(" ")) {
            while (word.length() > width) {
                if (!cur.isEmpty()) {
                    lines.add(cur.toString());
                    cur.setLength(0);
                }
                lines.add(word.substring(0, width));
                word = word.substring(width);
            }
            if (cur.length() + (cur.isEmpty() ? 0 : 1) + word.length() > width) {
                lines.add(cur.toString());
                cur.setLength(0);
            }
            if (!cur.isEmpty()) cur.append(' ');
            cur.append(word);
        }
        if (!cur.isEmpty() || lines.isEmpty()) lines.add(cur.toString());
        return lines;
    }
}
