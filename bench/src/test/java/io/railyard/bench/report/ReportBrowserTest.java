package io.railyard.bench.report;

import io.railyard.bench.compare.CompareResult;
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
        assertFalse(Pattern.compile("(src|href)=\"(https?:)?//").matcher(dom.stdout()).find(),
                "nothing loaded from the network: the page must open from disk alone");
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
