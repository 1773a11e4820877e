package io.railyard.bench.report;

import io.railyard.bench.compare.CompareResult;
import io.railyard.bench.compare.SeedIndex;
import io.railyard.bench.compare.Table;
import io.railyard.bench.examples.ExampleSources;

import java.util.List;

import static io.railyard.bench.report.HtmlReport.esc;

/**
 * The report's sections for a reader holding the seed: where each of the seed's eleven rows is in
 * the table (by {@link Table.Row#seedRow()}), and the example job of every column side by side
 * (the sources the Code Complexity row counts). Stateless.
 */
final class SeedSections {
    private SeedSections() {}

    static String render(CompareResult r) {
        return index(r) + examples(r);
    }

    /** The seed's rows in its order, each with the rows of this table that answer it and, where quoted, its words. */
    static String index(CompareResult r) {
        StringBuilder s = new StringBuilder("<h2>The seed's rows in this table</h2><table class=\"index\"><thead><tr><th>seed's row</th><th>answered here by</th>");
        for (String col : SeedIndex.COLUMNS) s.append("<th>seed: ").append(esc(col)).append("</th>");
        s.append("</tr></thead><tbody>");
        for (String seedRow : SeedIndex.ROWS) {
            List<Table.Row> rows = r.table().rows().stream().filter(x -> seedRow.equals(x.seedRow())).toList();
            s.append("<tr><th>").append(esc(seedRow)).append("</th>");
            if (rows.isEmpty()) s.append("<td class=\"none\">not measured by this build</td>");
            else {
                s.append("<td>");
                for (int i = 0; i < rows.size(); i++)
                    s.append(i == 0 ? "" : "<br>").append("<a href=\"#row-").append(esc(rows.get(i).key())).append("\">")
                            .append(esc(rows.get(i).title())).append("</a>");
                s.append("</td>");
            }
            List<String> words = SeedIndex.WORDS.get(seedRow);
            for (int i = 0; i < SeedIndex.COLUMNS.size(); i++)
                s.append(words == null ? "<td class=\"none\">-</td>" : "<td>" + esc(words.get(i)) + "</td>");
            s.append("</tr>");
        }
        return s.append("</tbody></table><p class=\"note\">The seed's words are quoted where a row states them beside its figures.</p>").toString();
    }

    /** Every column's example job, side by side, with what the Code Complexity row counted in it. */
    static String examples(CompareResult r) {
        StringBuilder s = new StringBuilder("<h2>The same job under each model (Code Complexity)</h2>"
                + "<p class=\"note\">N GETs of one URL, at most C at once, every body's length added into one total: the sources"
                + " railyard ships and runs in its tests. Lines count what is not blank, comment or docstring; concepts are found by"
                + " the API names and keywords in those lines.</p><div class=\"grid\">");
        int shown = 0;
        for (CompareResult.Model m : r.models()) {
            ExampleSources.Example e = ExampleSources.of(m.name(), m.language());
            if (e == null) continue;
            shown++;
            s.append("<div class=\"card code\" id=\"example-").append(esc(m.name())).append("\"><h3>").append(esc(m.name()))
                    .append(" <span class=\"note\">").append(esc(e.file())).append("</span></h3><div class=\"note\">")
                    .append(e.lines()).append(" lines · ").append(esc(e.concepts().isEmpty() ? "no concept beyond the pool" : String.join(", ", e.concepts())))
                    .append("</div><pre>").append(esc(e.source())).append("</pre></div>");
        }
        if (shown == 0) s.append("<p class=\"note\">No example sources are in this build.</p>");
        return s.append("</div>").toString();
    }
}
