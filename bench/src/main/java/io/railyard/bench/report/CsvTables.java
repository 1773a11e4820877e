package io.railyard.bench.report;

import io.railyard.bench.compare.Cell;
import io.railyard.bench.compare.CellTrial;
import io.railyard.bench.compare.CompareResult;
import io.railyard.bench.compare.Table;

import java.util.List;
import java.util.Locale;

/**
 * The comparison as CSV (RFC 4180 quoting): {@code results.csv} has one line per table figure,
 * {@code trials.csv} one line per counted trial of every cell. Stateless.
 */
public final class CsvTables {
    private CsvTables() {}

    public static String table(CompareResult r) {
        StringBuilder s = new StringBuilder("row,title,model,language,value,min,max,text,cells,reason,seed_row\r\n");
        for (Table.Row row : r.table().rows()) {
            for (CompareResult.Model m : r.models()) {
                Table.Figure f = row.figures().get(m.name());
                if (f == null) continue;
                line(s, row.key(), row.title(), m.name(), m.language(), num(f.value()), num(f.min()), num(f.max()),
                        f.present() ? f.text() : "", String.join(" ", f.cells()), f.reason() == null ? "" : f.reason(),
                        row.seedRow() == null ? "" : row.seedRow());
            }
        }
        return s.toString();
    }

    public static String trials(CompareResult r) {
        StringBuilder s = new StringBuilder("cell,model,language,work,c,status,trial,wall_s,cpu_s,limit_s,peak_rss_bytes,"
                + "start_rss_bytes,ok,failed,startup_s,peak_threads,peak_processes,reason\r\n");
        for (Cell c : r.cells()) {
            if (c.trials().isEmpty()) {
                line(s, c.id(), c.model(), c.language(), c.work(), Integer.toString(c.c()), c.status(), "", "", "", "", "", "", "", "", "", "", "",
                        c.reason() == null ? "" : c.reason());
                continue;
            }
            for (int i = 0; i < c.trials().size(); i++) {
                CellTrial t = c.trials().get(i);
                line(s, c.id(), c.model(), c.language(), c.work(), Integer.toString(c.c()), c.status(), Integer.toString(i + 1),
                        num(t.wallS()), num(t.cpuS()), num(c.limitS()), Long.toString(t.peakRssBytes()), Long.toString(t.startRssBytes()),
                        Long.toString(t.ok()), Long.toString(t.failed()), num(t.startupS()), Integer.toString(t.peakThreads()),
                        Integer.toString(t.peakProcesses()), "");
            }
        }
        return s.toString();
    }

    private static String num(Double d) {
        return d == null || d.isNaN() ? "" : String.format(Locale.ROOT, "%.6g", d);
    }

    private static void line(StringBuilder s, String... fields) {
        for (int i = 0; i < fields.length; i++) {
            if (i > 0) s.append(',');
            String f = fields[i];
            if (f.contains(",") || f.contains("\"") || f.contains("\n") || f.contains("\r"))
                s.append('"').append(f.replace("\"", "\"\"")).append('"');
            else s.append(f);
        }
        s.append("\r\n");
    }

    static List<String> names() {
        return List.of("results.csv", "trials.csv");
    }
}
