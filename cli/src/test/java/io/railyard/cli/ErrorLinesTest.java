package io.railyard.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.railyard.bench.harness.ResultsJson;
import io.railyard.cli.CliTest.Outcome;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static io.railyard.cli.CliTest.railyard;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Errors that are the user's to fix are one line and exit 2, never a stack trace; budgets that
 * cannot be kept are refused before any work; worker JVMs are capped by the tasks and by memory.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ErrorLinesTest {

    private static void oneLineExitTwo(Outcome o, String... mentions) {
        assertEquals(2, o.code(), o.out() + o.err());
        assertEquals(1, o.err().lines().count(), "one line, no stack trace:\n" + o.err());
        for (String m : mentions) assertTrue(o.err().contains(m), "'" + m + "' in: " + o.err());
    }

    @Test
    void serveOnAnAddressOfAnotherMachineIsOneLine() {
        oneLineExitTwo(railyard("serve", "--host", "10.99.99.99", "--port", "0", "--echo-port", "-1"), "10.99.99.99", "--host");
    }

    @Test
    void serveOnAHostNameThatDoesNotResolveSaysSoAndNamesHost() {
        Outcome o = railyard("serve", "--host", "nosuch.invalid", "--port", "0", "--echo-port", "-1");
        oneLineExitTwo(o, "nosuch.invalid", "no such host", "--host");
        assertFalse(o.err().contains("null"), o.err());
    }

    @Test
    void serveOnAPrivilegedPortAsAnotherUserThanRootIsOneLine() {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root may bind port 80");
        oneLineExitTwo(railyard("serve", "--port", "80", "--echo-port", "-1"), ":80", "1024");
    }

    @Test
    void aJvmFlagTheWorkerJvmRefusesIsOneLine() {
        oneLineExitTwo(railyard("run", "cpu", "--model", "processes", "-k", "5", "-m", "2", "-c", "1", "--model-option", "jvmArgs=-Xbogus"),
                "jvmArgs=-Xbogus", "Unrecognized option");
    }

    @Test
    void anUnknownModelOptionIsRefusedNamingTheKnownOnes() {
        oneLineExitTwo(railyard("run", "cpu", "--model", "processes", "-k", "5", "-m", "2", "--model-option", "nosuch=1"),
                "nosuch", "maxTasksPerWorker", "jvmArgs");
        oneLineExitTwo(railyard("run", "cpu", "--model", "threads", "-k", "5", "-m", "2", "--model-option", "maxTasksPerWorker=2"),
                "maxTasksPerWorker", "takes none");
        assertEquals(0, railyard("run", "cpu", "--model", "loop", "-k", "5", "-m", "2", "--model-option", "loop.slowCallbackMs=500").code());
        oneLineExitTwo(railyard("crawl", "http://127.0.0.1:9/", "--model", "threads", "--model-option", "nosuch=1"), "nosuch");
        oneLineExitTwo(railyard("crawl", "http://127.0.0.1:9/", "--model", "loop", "--model-option", "maxTasksPerWorker=2"),
                "maxTasksPerWorker");
    }

    @Test
    void aBudgetTheTreeAlreadyExceedsIsRefusedWithAFixedConcurrencyToo() {
        oneLineExitTwo(railyard("run", "cpu", "-c", "2", "-k", "5", "-m", "2", "--budget-memory", "40m"), "already exceeded", "40 MiB");
    }

    @Test
    void theJsonCarriesTheBudgetVerdict() throws Exception {
        Outcome o = railyard("run", "cpu", "-c", "1", "-k", "5", "-m", "2", "--budget-memory", "0.9", "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode j = ResultsJson.MAPPER.readTree(o.out());
        assertEquals("kept", j.get("budget_verdict").asText(), j.toString());
        assertFalse(j.get("stopped").asBoolean());
    }

    @Test
    void workerJvmsAreNoMoreThanTheTasks() throws Exception {
        Outcome o = railyard("run", "cpu", "--model", "processes", "-c", "50", "-k", "15", "-m", "4", "--json");
        assertEquals(0, o.code(), o.err());
        JsonNode j = ResultsJson.MAPPER.readTree(o.out());
        int processes = j.get("trials").get(0).get("peak_processes").asInt();
        // this JVM, 4 workers, the short-lived mkfifo of each and an AOT trainer at most: not the 50 workers of -c 50
        assertTrue(processes <= 1 + 4 + 4 + 1, processes + " processes for 4 tasks");
    }

    @Test
    void moreWorkerJvmsThanMemoryHoldsIsOneLineBeforeTheyStart() {
        long t0 = System.nanoTime();
        oneLineExitTwo(railyard("run", "cpu", "--model", "processes", "-c", "100000", "-k", "5", "-m", "100000"),
                "100000 worker JVMs", "memory allows", "-c");
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(120));
    }
}
