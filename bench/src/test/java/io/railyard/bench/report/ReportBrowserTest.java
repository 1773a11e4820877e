package io.railyard.bench.report;

import io.railyard.bench.compare.CompareResult;
import io.railyard.bench.compare.SwitchingCompare;
import io.railyard.bench.compare.TinyCompare;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Opens the report in a real browser (Debian's chromium, headless, installed by the test when
 * missing), from disk with the network off: it must draw every chart without a single console
 * message (the page logs nothing by design, so any message is an error, a warning or a failed
 * load), and a screenshot is kept in target/ for people to look at.
 */
class ReportBrowserTest {

    private static Path chromium;

    @BeforeAll
    static void findOrInstallChromium() throws Exception {
        chromium = which("chromium");
        if (chromium == null) {
            boolean root = "root".equals(System.getProperty("user.name"));
            assumeTrue(root && which("apt-get") != null, "chromium is missing and cannot be installed here (needs root and apt-get)");
            run(List.of("apt-get", "install", "-y", "-q", "chromium"), 600);
            chromium = which("chromium");
            if (chromium == null) {
                run(List.of("apt-get", "update", "-q"), 600);
                run(List.of("apt-get", "install", "-y", "-q", "chromium"), 600);
                chromium = which("chromium");
            }
        }
        assertNotNull(chromium, "chromium could not be installed with apt-get");
    }

    @Test
    void theReportRendersInChromiumWithoutAConsoleMessage(@TempDir Path tmp) throws Exception {
        CompareResult r = TinyCompare.result();
        Path report = tmp.resolve("report");
        Path index = ReportFiles.write(report, r);
        Path shot = Path.of("target", "report-screenshot.png").toAbsolutePath();
        Files.createDirectories(shot.getParent());
        Files.deleteIfExists(shot);

        Browser screenshot = browse(tmp, index, "--screenshot=" + shot, "--window-size=1400,3200");
        assertEquals(List.of(), screenshot.console(), "console messages while rendering the report");
        assertTrue(Files.size(shot) > 20_000, "a screenshot with content: " + Files.size(shot) + " bytes");

        Browser dom = browse(tmp, index, "--dump-dom");
        assertEquals(List.of(), dom.console(), "console messages while rendering the report");
        Matcher charts = Pattern.compile("data-charts=\"(\\d+)\"").matcher(dom.stdout());
        assertTrue(charts.find(), "the page's script ran to its end and marked the body");
        int expected = 2 /* wall vs limit: cpu, tiny */ + 1 /* cpu scaling, C=1 and 2 */
                + r.models().size() /* cpu timelines, one per model */ + 4 /* cores and memory for cpu, tiny */;
        assertEquals(expected, Integer.parseInt(charts.group(1)), "charts drawn");
        assertEquals(expected, count(dom.stdout(), "<canvas"), "one canvas per chart");
        for (String model : r.table().columns()) assertTrue(dom.stdout().contains(model), model + " in the table");
        for (String seedRow : io.railyard.bench.compare.SeedIndex.ROWS)
            assertTrue(dom.stdout().contains("<th>" + seedRow + "</th>"), "the seed's row " + seedRow + " is listed");
        for (String model : r.table().columns())
            assertTrue(dom.stdout().contains("id=\"example-" + model + "\""), model + "'s example job is shown");
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(dom.stdout()).find(),
                "nothing loaded from the network: the page must open from disk alone");
    }

    /**
     * Measures the rendered page from inside, once its charts are drawn: table cells whose content
     * runs out of them (a column's description into its neighbour), how far the page itself is wider
     * than the window (the table scrolls in its own box instead), and canvases with (almost) no
     * painted pixel. The results are written on the body, which --dump-dom prints.
     */
    private static final String LAYOUT_PROBE = """
            <script>
            setTimeout(function () {
              var bad = [];
              document.querySelectorAll("table.seed th, table.seed td").forEach(function (cell) {
                var box = cell.getBoundingClientRect(), range = document.createRange();
                range.selectNodeContents(cell);
                var text = range.getBoundingClientRect(), empty = text.width === 0 && text.height === 0;
                if (cell.scrollWidth > cell.clientWidth + 1 || (!empty && (text.right > box.right + 1 || text.left < box.left - 1)))
                  bad.push(cell.textContent.trim().slice(0, 50));
              });
              document.querySelectorAll("table.seed .desc").forEach(function (d) {
                if (d.scrollWidth > d.clientWidth + 1) bad.push("description: " + d.textContent.slice(0, 50));
              });
              var blank = 0, canvases = document.querySelectorAll("canvas");
              canvases.forEach(function (cv) {
                var px = cv.getContext("2d").getImageData(0, 0, cv.width, cv.height).data, painted = 0;
                for (var i = 3; i < px.length; i += 4) if (px[i] !== 0) painted++;
                if (painted < 500) blank++;
              });
              document.body.setAttribute("data-overflowing", String(bad.length) + ": " + bad.join(" | "));
              document.body.setAttribute("data-page-overflow", String(document.documentElement.scrollWidth - window.innerWidth));
              document.body.setAttribute("data-blank-canvases", blank + " of " + canvases.length);
            }, 1000);
            </script>
            """;

    @Test
    void atBothWidthsNothingRunsOutOfItsCellAndEveryChartPaints(@TempDir Path tmp) throws Exception {
        CompareResult r = TinyCompare.result();
        Path index = ReportFiles.write(tmp.resolve("report"), r);
        String page = Files.readString(index, StandardCharsets.UTF_8);
        Path probed = index.resolveSibling("probed.html");
        Files.writeString(probed, page.replace("</body>", LAYOUT_PROBE + "</body>"), StandardCharsets.UTF_8);
        for (int width : new int[]{1400, 800}) {
            Browser dom = browse(tmp, probed, "--dump-dom", "--window-size=" + width + ",1400");
            assertEquals(List.of(), dom.console(), "console messages at " + width + " px");
            assertEquals("0: ", attribute(dom.stdout(), "data-overflowing"), "cells whose content runs out of them at " + width + " px");
            assertTrue(Integer.parseInt(attribute(dom.stdout(), "data-page-overflow")) <= 0,
                    "the page is no wider than the window at " + width + " px (the table scrolls in its box)");
            String blank = attribute(dom.stdout(), "data-blank-canvases");
            assertTrue(blank.startsWith("0 of ") && !blank.equals("0 of 0"), "canvases without a drawing at " + width + " px: " + blank);
        }
        Path shot = Path.of("target", "report-screenshot-800.png").toAbsolutePath();
        Files.deleteIfExists(shot);
        browse(tmp, index, "--screenshot=" + shot, "--window-size=800,2400");
        assertTrue(Files.size(shot) > 20_000, "a screenshot at 800 px with content");
    }

    @Test
    void theHogTestsTimelinesAndTheSeedsSwitchingRowsRenderAtBothWidths(@TempDir Path tmp) throws Exception {
        CompareResult r = SwitchingCompare.result();
        Path index = ReportFiles.write(tmp.resolve("report"), r);
        String page = Files.readString(index, StandardCharsets.UTF_8);
        for (String title : List.of("Multitasking Strategy", "Switching Decision", "Synchronization Coordinator"))
            assertTrue(page.contains(title), title + " in the table");
        Path probed = index.resolveSibling("probed.html");
        Files.writeString(probed, page.replace("</body>", LAYOUT_PROBE + "</body>"), StandardCharsets.UTF_8);
        long hogCells = r.cells().stream().filter(c -> c.work().equals("hog") && c.ok()).count();
        assertTrue(hogCells >= 4, "a hog cell per Java model at least: " + hogCells);
        long expected = 1 /* wall vs limit: hog (the counter has no limit) */ + hogCells /* hog timelines */
                + 4 /* cores and memory for hog, counter */;
        for (int width : new int[]{1400, 800}) {
            Browser dom = browse(tmp, probed, "--dump-dom", "--window-size=" + width + ",1400");
            assertEquals(List.of(), dom.console(), "console messages at " + width + " px");
            assertEquals(Long.toString(expected), attribute(dom.stdout(), "data-charts"), "charts drawn");
            assertEquals("0: ", attribute(dom.stdout(), "data-overflowing"), "cells whose content runs out of them at " + width + " px");
            String blank = attribute(dom.stdout(), "data-blank-canvases");
            assertTrue(blank.startsWith("0 of ") && !blank.equals("0 of 0"), "canvases without a drawing at " + width + " px: " + blank);
        }
        Path shot = Path.of("target", "report-screenshot-hog.png").toAbsolutePath();
        Files.createDirectories(shot.getParent());
        Files.deleteIfExists(shot);
        browse(tmp, index, "--screenshot=" + shot, "--window-size=1400,3000");
        assertTrue(Files.size(shot) > 20_000, "a screenshot with content");
    }

    private static String attribute(String dom, String name) {
        Matcher m = Pattern.compile(name + "=\"([^\"]*)\"").matcher(dom);
        assertTrue(m.find(), name + " was not set: the probe did not run");
        return m.group(1).replace("&amp;", "&").replace("&quot;", "\"").replace("&lt;", "<").replace("&gt;", ">");
    }

    @Test
    void aBrokenPageIsCaughtByTheSameCheck(@TempDir Path tmp) throws Exception {
        // the check must be able to fail: a page with a script error produces a console message
        Path bad = tmp.resolve("bad.html");
        Files.writeString(bad, "<html><body><script>undefinedFunction();</script></body></html>");
        Browser b = browse(tmp, bad, "--dump-dom");
        assertEquals(1, b.console().size(), b.console().toString());
        assertTrue(b.console().get(0).contains("undefinedFunction"), b.console().get(0));
    }

    record Browser(String stdout, List<String> console) {}

    private static Browser browse(Path tmp, Path page, String... extra) throws Exception {
        Path profile = Files.createTempDirectory(tmp, "profile-");
        List<String> cmd = new ArrayList<>(List.of(chromium.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--no-first-run", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
                "--virtual-time-budget=5000"));
        cmd.addAll(List.of(extra));
        cmd.add(page.toUri().toString());
        Path out = tmp.resolve("chromium.out"), err = tmp.resolve("chromium.err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish in 120 s");
        }
        List<String> console = Files.readAllLines(err, StandardCharsets.UTF_8).stream().filter(l -> l.contains(":CONSOLE")).toList();
        return new Browser(Files.readString(out, StandardCharsets.UTF_8), console);
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int i = s.indexOf(what); i >= 0; i = s.indexOf(what, i + 1)) n++;
        return n;
    }

    private static Path which(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    private static void run(List<String> cmd, int seconds) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        Process p = pb.start();
        if (!p.waitFor(seconds, TimeUnit.SECONDS)) p.destroyForcibly();
    }
}
