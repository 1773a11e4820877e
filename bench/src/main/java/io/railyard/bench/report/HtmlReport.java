package io.railyard.bench.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.railyard.bench.compare.Cell;
import io.railyard.bench.compare.CellTrial;
import io.railyard.bench.compare.CompareResult;
import io.railyard.bench.compare.Fmt;
import io.railyard.bench.compare.SwitchingRows;
import io.railyard.bench.compare.Table;
import io.railyard.bench.compare.TableBuilder;
import io.railyard.bench.harness.ResultsJson;
import io.railyard.core.probe.CoresBusy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders {@code index.html}: one self-contained page (Chart.js and the data inlined, no network)
 * with the table, the charts and every cell's raw trials. The table and the raw samples are HTML
 * written here, readable without JavaScript; the charts are drawn by the page's script from a
 * compact view of the results (the first counted trial's series and first tasks per cell).
 *
 * <p>Stateless and thread-safe.
 */
public final class HtmlReport {
    private HtmlReport() {}

    /** Chart.js as vendored (see VENDORED.md beside it). */
    public static final String CHART_JS_VERSION = "4.6.1";
    private static final int TIMELINE_TASKS = 240;
    private static final List<String> TIMELINE_WORKS = List.of("cpu", "io");
    private static final Map<String, String> COLORS = Map.of(
            "processes", "#7c3aed", "threads", "#2563eb", "loop", "#059669", "virtual", "#0891b2", "cluster", "#4f46e5",
            "multiprocessing", "#db2777", "threading", "#ea580c", "asyncio", "#ca8a04");
    private static final String[] SPARE = {"#475569", "#65a30d", "#0d9488", "#9333ea"};

    public static String render(CompareResult r) {
        String page = resource("report.html");
        Map<String, String> colors = colors(r);
        // replace the data placeholders last: the inlined library and JSON may contain "{{"
        page = page.replace("{{MODELS}}", esc(modelsShown(r)))
                .replace("{{FACTS}}", facts(r))
                .replace("{{BANNER}}", banner(r))
                .replace("{{TABLE}}", table(r, colors))
                .replace("{{RULE}}", esc(TableBuilder.RULE))
                .replace("{{SEED_SECTIONS}}", SeedSections.render(r))
                .replace("{{RAW}}", raw(r))
                .replace("{{STARTED}}", esc(r.startedAt()))
                .replace("{{TOOK}}", esc(Fmt.seconds(r.wallS())))
                .replace("{{CHARTJS_VERSION}}", CHART_JS_VERSION);
        int data = page.indexOf("{{DATA}}");
        page = page.substring(0, data) + scriptSafe(view(r, colors)) + page.substring(data + "{{DATA}}".length());
        int lib = page.indexOf("{{CHARTJS}}");
        return page.substring(0, lib) + scriptSafe(resource("chart.umd.min.js")) + page.substring(lib + "{{CHARTJS}}".length());
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getResourceAsStream("/io/railyard/bench/report/" + name)) {
            if (in == null) throw new IllegalStateException(name + " is missing from the railyard jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Map<String, String> colors(CompareResult r) {
        Map<String, String> m = new LinkedHashMap<>();
        int spare = 0;
        for (CompareResult.Model model : r.models())
            m.put(model.name(), COLORS.getOrDefault(model.name(), SPARE[spare++ % SPARE.length]));
        return m;
    }

    private static String facts(CompareResult r) {
        CompareResult.Machine m = r.machine();
        List<String> f = new ArrayList<>(List.of(m.cores() + " cores", Fmt.bytes(m.memoryBytes()), "Java " + m.java(), m.os()));
        if (r.python().available()) f.add("CPython " + r.python().version());
        f.add(r.config().scale() + " scale");
        f.add(r.config().warmup() + " warm-up (for work a warm JIT changes) + " + r.config().trials() + " trials per Java cell" + (r.python().available()
                ? ", " + r.config().trials() + " per CPython cell (a fresh interpreter each: no warm-up)" : ""));
        f.add(r.cells().size() + " cells, " + Fmt.seconds(r.wallS()));
        StringBuilder s = new StringBuilder();
        for (String x : f) s.append("<span class=\"fact\">").append(esc(x)).append("</span>");
        return s.toString();
    }

    /** The header's sentence: every model shown as a column, by language, in the table's order. */
    static String modelsShown(CompareResult r) {
        List<String> parts = new ArrayList<>();
        for (String lang : List.of("java", "python")) {
            List<String> names = r.models().stream().filter(m -> m.language().equals(lang)).map(CompareResult.Model::name).toList();
            if (names.isEmpty()) continue;
            parts.add((lang.equals("java") ? "Java's" : "CPython's") + " " + (names.size() == 1 ? "model " : "models ")
                    + "(" + String.join(", ", names) + ")");
        }
        return parts.isEmpty() ? "No model" : String.join(" and ", parts);
    }

    private static String banner(CompareResult r) {
        if (r.python().available()) return "";
        return "<div class=\"banner\">CPython was not measured: " + esc(r.python().reason() == null ? "not requested" : r.python().reason())
                + ". Its columns state this instead of figures.</div>";
    }

    private static String table(CompareResult r, Map<String, String> colors) {
        List<CompareResult.Model> java = r.models().stream().filter(m -> m.language().equals("java")).toList();
        List<CompareResult.Model> py = r.models().stream().filter(m -> m.language().equals("python")).toList();
        StringBuilder s = new StringBuilder("<table class=\"seed\"><thead><tr class=\"groups\"><th></th>");
        if (!java.isEmpty()) s.append("<th class=\"grp-java\" colspan=\"").append(java.size()).append("\">Java ").append(esc(r.machine().java())).append("</th>");
        if (!py.isEmpty()) s.append("<th class=\"grp-python\" colspan=\"").append(py.size()).append("\">CPython ")
                .append(esc(r.python().available() ? r.python().version() : "(not measured)")).append("</th>");
        s.append("</tr><tr><th>concurrency model</th>");
        for (CompareResult.Model m : r.models())
            s.append("<th class=\"model\"><span class=\"dot\" style=\"background:").append(colors.get(m.name())).append("\"></span>")
                    .append(esc(m.name())).append("<div class=\"desc\">").append(breakable(m.description())).append("</div></th>");
        s.append("</tr></thead><tbody>");
        for (Table.Row row : r.table().rows()) {
            s.append("<tr id=\"row-").append(esc(row.key())).append("\"").append(row.key().equals("recommended") ? " class=\"rec\">" : ">");
            s.append("<th>").append(esc(row.title()));
            if (row.seedRow() != null) s.append("<div class=\"seedrow\">seed: ").append(esc(row.seedRow())).append("</div>");
            s.append("<div class=\"how\">").append(esc(row.how())).append("</div></th>");
            String best = best(row);
            String shared = sharedReason(row, r.models());
            if (shared != null) {
                Table.Figure f = row.figures().get(r.models().get(0).name());
                s.append("<td class=\"na\" colspan=\"").append(r.models().size()).append("\">");
                if (!f.cells().isEmpty()) s.append("<a href=\"#cell-").append(esc(f.cells().get(0))).append("\">n/a</a>");
                else s.append("n/a");
                s.append("<div class=\"reason\">").append(esc(shared)).append(" (every model)</div></td></tr>");
                continue;
            }
            for (int i = 0; i < r.models().size(); i++) {
                CompareResult.Model m = r.models().get(i);
                Table.Figure f = row.figures().get(m.name());
                List<String> cls = new ArrayList<>();
                if (m.language().equals("python") && i > 0 && r.models().get(i - 1).language().equals("java")) cls.add("first-py");
                if (!f.present()) cls.add("na");
                if (m.name().equals(best)) cls.add("best");
                s.append("<td").append(cls.isEmpty() ? "" : " class=\"" + String.join(" ", cls) + "\"").append(">");
                String href = f.cells().isEmpty() ? null : "#cell-" + f.cells().get(0);
                String text = f.present() ? f.text() : "n/a";
                if (href != null) s.append("<a href=\"").append(esc(href)).append("\" title=\"raw samples: ")
                        .append(esc(String.join(", ", f.cells()))).append("\">").append(esc(text)).append("</a>");
                else s.append(esc(text));
                if (!f.present()) s.append("<div class=\"reason\">").append(esc(f.reason())).append("</div>");
                s.append("</td>");
            }
            s.append("</tr>");
        }
        return s.append("</tbody></table>").toString();
    }

    /** The reason when no model has a figure in this row and all share one reason, else null. */
    private static String sharedReason(Table.Row row, List<CompareResult.Model> models) {
        String reason = null;
        for (CompareResult.Model m : models) {
            Table.Figure f = row.figures().get(m.name());
            if (f.present() || (reason != null && !reason.equals(f.reason()))) return null;
            reason = f.reason();
        }
        return models.size() > 1 ? reason : null;
    }

    /** The column with the best figure of a row where "best" is clear (lower or higher is better), else null. */
    private static String best(Table.Row row) {
        Boolean lowerIsBetter = switch (row.key()) {
            case "cpu_wall", "io_wall", "peak_rss", "peak_rss_worker", "mem_per_task", "overhead", "startup" -> true;
            case "cpu_cores", "connections", "tiny_rate", "gil" -> false;
            default -> null;
        };
        if (lowerIsBetter == null) return null;
        String best = null;
        double bestV = 0;
        int present = 0;
        for (Map.Entry<String, Table.Figure> e : row.figures().entrySet()) {
            Double v = e.getValue().value();
            if (!e.getValue().present() || v == null || v.isNaN()) continue;
            present++;
            if (best == null || (lowerIsBetter ? v < bestV : v > bestV)) {
                best = e.getKey();
                bestV = v;
            }
        }
        return present > 1 ? best : null;
    }

    private static String raw(CompareResult r) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < r.cells().size(); i++) {
            Cell c = r.cells().get(i);
            s.append("<details id=\"cell-").append(esc(c.id())).append("\"><summary>").append(esc(c.id())).append(" — <span class=\"st-")
                    .append(esc(c.status())).append("\">").append(esc(c.status())).append("</span>");
            if (c.ok()) s.append(" — ").append(c.trials().size()).append(" trials, limit ").append(esc(Fmt.seconds(c.limitS())));
            s.append("</summary>");
            if (c.reason() != null) s.append("<p>").append(esc(c.reason())).append("</p>");
            if (!c.params().isEmpty()) s.append("<p class=\"note\">parameters: ").append(esc(c.params().toString())).append("</p>");
            if (!c.trials().isEmpty()) {
                s.append("<table class=\"raw\"><tr><th>trial</th><th>wall</th><th>CPU</th><th>cores</th><th>wall/limit</th><th>peak RSS</th>"
                        + "<th>RSS before</th><th>ok</th><th>failed</th><th>start-up</th><th>queued p50</th><th>queued p99</th>"
                        + "<th>threads</th><th>processes</th><th>tasks</th><th>samples</th></tr>");
                for (int j = 0; j < c.trials().size(); j++) {
                    CellTrial t = c.trials().get(j);
                    s.append("<tr><td>").append(j + 1).append("</td>");
                    for (String v : new String[]{Fmt.seconds(t.wallS()), Fmt.seconds(t.cpuS()), Fmt.ratio(t.coresUsed()),
                            c.limitS() > 0 ? Fmt.ratio(t.wallS() / c.limitS()) + "×" : "-", Fmt.bytes(t.peakRssBytes()), Fmt.bytes(t.startRssBytes()),
                            Long.toString(t.ok()), Long.toString(t.failed()), Fmt.seconds(t.startupS()),
                            Fmt.micros(TableBuilder.queuedPercentile(t.tasks(), 50)), Fmt.micros(TableBuilder.queuedPercentile(t.tasks(), 99)),
                            Integer.toString(t.peakThreads()), Integer.toString(t.peakProcesses()),
                            Integer.toString(t.tasks().size()), Integer.toString(t.series().elapsedMs().length)})
                        s.append("<td>").append(esc(v)).append("</td>");
                    s.append("</tr>");
                }
                s.append("</table>");
            }
            s.append("<p class=\"note\">raw samples: <a href=\"results.json\">results.json</a> <code>cells[").append(i).append("]</code></p></details>");
        }
        return s.toString();
    }

    /** The compact data the page's charts read. */
    private static String view(CompareResult r, Map<String, String> colors) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("colors", colors);
        v.put("cores", r.machine().cores());
        v.put("tick_ms", io.railyard.core.probe.ResourceSampler.TICK_NANOS / 1e6);
        v.put("models", r.models());
        v.put("works", r.workloads());
        List<Map<String, Object>> cells = new ArrayList<>();
        Map<String, Object> series = new LinkedHashMap<>(), timelines = new LinkedHashMap<>();
        for (Cell c : r.cells()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", c.id());
            m.put("model", c.model());
            m.put("work", c.work());
            m.put("c", c.c());
            m.put("status", c.status());
            m.put("limit_s", c.limitS());
            m.put("wall_s", c.trials().stream().mapToDouble(CellTrial::wallS).toArray());
            m.put("ok", c.trials().stream().mapToLong(CellTrial::ok).toArray());
            cells.add(m);
            if (c.trials().isEmpty()) continue;
            CellTrial first = c.trials().get(0);
            CellTrial.Series s = first.series();
            long windowMs = s.windowMs(r.machine().cores());
            List<double[]> busy = new ArrayList<>();
            for (CoresBusy.Window b : s.coresBusy(windowMs, r.machine().cores()))
                busy.add(new double[]{(b.startNanos() + b.endNanos()) / 2e6, b.cores(), b.quantisation()});
            series.put(c.id(), Map.of("t", s.elapsedMs(), "rss", s.rssKib(), "busy", busy, "window_ms", windowMs));
            if (TIMELINE_WORKS.contains(c.work())) {
                CellTrial.Tasks t = first.tasks();
                int n = Math.min(TIMELINE_TASKS, t.size());
                timelines.put(c.id(), Map.of("start", Arrays.copyOf(t.startUs(), n), "end", Arrays.copyOf(t.endUs(), n),
                        "worker", Arrays.copyOf(t.worker(), n), "cpu", Arrays.copyOf(t.cpuUs(), n)));
            }
        }
        v.put("cells", cells);
        v.put("series", series);
        v.put("timelines", timelines);
        v.put("hog", hogTimelines(r));
        try {
            return ResultsJson.MAPPER.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The hog test's timelines, for the charts "Who switches": per model, the first counted trial's
     * hogs and short tasks (the primers left out), in milliseconds since the first hog's submit, and
     * the table's Switching Decision figure as its caption.
     */
    static Map<String, Object> hogTimelines(CompareResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        Table.Row switching = r.table().row("switching");
        for (Cell c : r.cells()) {
            if (!c.work().equals("hog") || !c.ok() || c.trials().isEmpty()) continue;
            CellTrial.Tasks t = c.trials().get(0).tasks();
            int from = Math.min(SwitchingRows.firstHog(c), t.size()), shortFrom = Math.min(SwitchingRows.firstShort(c), t.size());
            long origin = from < t.size() ? t.submitUs()[from] : 0;
            int n = t.size() - from;
            double[] submit = new double[n], start = new double[n], end = new double[n];
            for (int i = 0; i < n; i++) {
                submit[i] = (t.submitUs()[from + i] - origin) / 1e3;
                start[i] = t.startUs()[from + i] < 0 ? -1 : (t.startUs()[from + i] - origin) / 1e3;
                end[i] = (t.endUs()[from + i] - origin) / 1e3;
            }
            Table.Figure f = switching == null ? null : switching.figures().get(c.model());
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("model", c.model());
            one.put("hogs", shortFrom - from);
            one.put("hog_ms", c.params().get("hog_ms"));
            one.put("submit", submit);
            one.put("start", start);
            one.put("end", end);
            one.put("caption", f != null && f.present() ? f.text() : "");
            m.put(c.id(), one);
        }
        return m;
    }

    /**
     * Escaped text where a long dotted name (concurrent.futures.ThreadPoolExecutor) may break after
     * each dot, so that it wraps inside its column instead of running into the next one.
     */
    static String breakable(String s) {
        return esc(s).replaceAll("\\.(?=\\p{Alpha})", ".<wbr>");
    }

    /** Text safe inside a script element: no "</" can close it early. */
    private static String scriptSafe(String s) {
        return s.replace("</", "<\\/");
    }

    static String esc(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
