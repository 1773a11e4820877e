package io.railyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.railyard.bench.harness.ResultsJson;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static io.railyard.cli.CliTest.railyard;
import static org.junit.jupiter.api.Assertions.*;

/** {@code run ... --autoscale} and the budget flags, through the real command line. */
class AutoscaleCommandTest {

    @Test
    void autoscaledRunsPutDecisionsSeriesAndTheBudgetCheckInTheJson() throws Exception {
        CliTest.Outcome o = railyard("run", "cpu", "-k", "24", "-m", "3000", "--autoscale", "--budget-memory", "0.5",
                "--budget-concurrency", "16", "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode j = ResultsJson.MAPPER.readTree(o.out());
        assertEquals(16, j.get("c").asInt(), "c is the most the autoscaler may use");
        assertEquals(3000, j.get("ok").asLong());
        JsonNode trial = j.get("trials").get(0);
        JsonNode a = trial.get("autoscale");
        assertEquals("railyard", a.get("mode").asText());
        assertEquals(16, a.get("max_concurrency").asInt());
        assertTrue(a.get("memory_budget_bytes").asLong() > 0);
        assertTrue(a.get("series").size() >= 1, "one point per 50 ms sample");
        JsonNode p = a.get("series").get(0);
        for (String f : new String[]{"t_s", "desired", "limit", "in_flight", "queued", "rss_bytes", "cpu_cores", "lag_ms"})
            assertTrue(p.has(f), "series point field " + f + " in " + p);
        for (JsonNode d : a.get("decisions")) {
            for (String f : new String[]{"at_s", "from", "to", "reason", "detail", "rss_bytes", "cpu_cores"})
                assertTrue(d.has(f), "decision field " + f + " in " + d);
        }
        JsonNode b = trial.get("budget");
        assertEquals(0, b.get("memory_breaches").asInt(), b.toString());
        assertTrue(b.get("peak_rss_bytes").asLong() <= b.get("memory_budget_bytes").asLong());
        assertTrue(o.err().contains("autoscale railyard:"), o.err());
        assertTrue(o.err().contains("budget "), o.err());
    }

    @Test
    void crawleesModeIsSelectable() throws Exception {
        CliTest.Outcome o = railyard("run", "cpu", "-k", "20", "-m", "200", "--autoscale=crawlee", "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode a = ResultsJson.MAPPER.readTree(o.out()).get("trials").get(0).get("autoscale");
        assertEquals("crawlee", a.get("mode").asText());
    }

    @Test
    void aBudgetWithoutAutoscaleKeepsTheConcurrencyFixedAndChecksTheBudget() throws Exception {
        CliTest.Outcome o = railyard("run", "cpu", "-k", "20", "-m", "50", "-c", "2", "--budget-memory", "1g", "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode t = ResultsJson.MAPPER.readTree(o.out()).get("trials").get(0);
        assertFalse(t.has("autoscale"));
        assertEquals(1L << 30, t.get("budget").get("memory_budget_bytes").asLong());
        assertEquals(2, ResultsJson.MAPPER.readTree(o.out()).get("c").asInt());
    }

    @Test
    void withoutBudgetFlagsARunIsAsBefore() throws Exception {
        CliTest.Outcome o = railyard("run", "cpu", "-k", "20", "-m", "10", "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode t = ResultsJson.MAPPER.readTree(o.out()).get("trials").get(0);
        assertFalse(t.has("autoscale"));
        assertFalse(t.has("budget"));
    }

    @Test
    void anAutoscaledCrawlReportsItsDecisionsAndStillFindsEveryPage() {
        CliTest.Outcome o = railyard("crawl", "--demo", "--demo-pages", "300", "--demo-latency-ms", "20", "--autoscale",
                "--budget-memory", "0.5", "--budget-concurrency", "32");
        assertEquals(0, o.code(), o.out() + o.err());
        assertTrue(o.out().contains("crawl on loop, C=32"), o.out());
        assertTrue(o.out().contains("autoscale railyard:"), o.out());
        assertTrue(o.out().contains("site check: all 300 reachable pages found"), o.out());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "crawl --demo --autoscale -c 8|-c sets a fixed concurrency and --autoscale chooses it",
            "crawl --demo --budget-memory 512m|the --budget-* options of crawl apply with --autoscale",
            "crawl --demo --autoscale --budget-memory 12q|--budget-memory '12q' is not a size",
    })
    void badCrawlBudgetsAreOneLineAndExitCode2(String row) {
        String[] parts = row.split("\\|", 2);
        CliTest.Outcome o = railyard(parts[0].split(" "));
        assertEquals(2, o.code(), "exit code for '" + parts[0] + "': " + o.err());
        assertEquals(1, o.err().lines().count(), "one line, got:\n" + o.err());
        assertTrue(o.err().contains(parts[1]), "expected '" + parts[1] + "' in: " + o.err());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "--autoscale --budget-memory 12q|--budget-memory '12q' is not a size",
            "--autoscale --budget-memory -512m|--budget-memory must not be negative",
            "--autoscale --budget-memory 100t|is more than the",
            "--autoscale --budget-memory 2k|below the 32 MiB a JVM needs",
            "--autoscale --budget-cpu -1|--budget-cpu must be a positive number of cores",
            "--autoscale --budget-cpu 4096|--budget-cpu 4096 is more than the",
            "--autoscale --budget-cpu lots|--budget-cpu 'lots' is not a number of cores",
            "--autoscale --budget-concurrency 0|--budget-concurrency must be at least 1",
            "--autoscale --budget-concurrency x|'x' is not an int",
            "--autoscale=fastest|unknown autoscale mode 'fastest': choose railyard or crawlee",
            "--autoscale -c 8|-c sets a fixed concurrency and --autoscale chooses it",
            "--budget-concurrency 8|--budget-concurrency applies to --autoscale runs",
            "--budget-memory 12q|--budget-memory '12q' is not a size",
    })
    void badBudgetsAreOneLineAndExitCode2(String row) {
        String[] parts = row.split("\\|", 2);
        String[] flags = parts[0].split(" ");
        String[] args = new String[4 + flags.length];
        args[0] = "run";
        args[1] = "cpu";
        args[2] = "-m";
        args[3] = "1";
        System.arraycopy(flags, 0, args, 4, flags.length);
        CliTest.Outcome o = railyard(args);
        assertEquals(2, o.code(), "exit code for '" + parts[0] + "': " + o.err());
        assertEquals(1, o.err().lines().count(), "one line, got:\n" + o.err());
        assertTrue(o.err().startsWith("railyard: "), o.err());
        assertTrue(o.err().contains(parts[1]), "expected '" + parts[1] + "' in: " + o.err());
        assertFalse(o.err().contains("Exception"), o.err());
        assertEquals("", o.out());
    }
}
