package io.railyard.bench.harness;

import io.railyard.bench.workload.CpuWorkload;
import io.railyard.core.autoscale.AutoscaleReport;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The streaming writer of a run's JSON line gives exactly the mapper's text, whatever the result holds. */
class RunResultJsonTest {

    private static Trial trial(boolean warm, BudgetCheck budget, AutoscaleReport autoscale, Map<String, Long> failures, Map<String, Double> figures) {
        return new Trial(1.25, 2.5, 64L << 20, 40, 0, 3.1e-4, 120.5, 9876.0, 12345.0, 18, 1, warm,
                List.of(), List.of(), budget, autoscale, failures, figures);
    }

    private static RunResult result(List<Trial> trials, Map<String, Object> params, Map<String, Long> failures, String verdict, boolean stopped) {
        return new RunResult("cpu \"fib\"", "threads", 40, 2, 1.25, 2.5, 64L << 20, 0.765, 40, 0, 2.0, 1.633, 3.1e-4,
                120.5, Double.NaN, "cold", 0, params, trials, failures, stopped, verdict, 1.9, 3.1, 70L << 20);
    }

    @Test
    void aPlainResultIsTheMappersText() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("k", 35);
        params.put("serial_task_s", 0.038);
        params.put("calibration", "measured now");
        RunResult r = result(List.of(trial(false, null, null, Map.of(), Map.of())), params, Map.of(), null, false);
        assertEquals(ResultsJson.toLine(r), RunResultJson.toLine(r));
    }

    @Test
    void everyOptionalPartIsTheMappersText() {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("url", "http://127.0.0.1:1/a\nb");
        params.put("big", Long.MAX_VALUE);
        params.put("on", true);
        params.put("none", null);
        params.put("list", List.of(1, "two", 3.5));
        params.put("nested", Map.of("x", 1));
        params.put("small", 1.5f);
        Map<String, Long> failures = new LinkedHashMap<>();
        failures.put("timeout", 3L);
        failures.put("http status", 1L);
        BudgetCheck budget = new BudgetCheck(100L << 20, 1.0, 90L << 20, 50, 0, 0.9, 3, 0);
        AutoscaleReport autoscale = new AutoscaleReport("cpu", 100L << 20, 1.0, 8, List.of(), List.of(), 90L << 20, 0, 0, 4, 1.5);
        RunResult r = result(List.of(trial(true, budget, autoscale, failures, Map.of("rounds", 12.0)), trial(true, null, null, null, null)),
                params, failures, "kept", true);
        assertEquals(ResultsJson.toLine(r), RunResultJson.toLine(r));
    }

    @Test
    void aRealRunIsTheMappersText() throws Exception {
        try (CpuWorkload work = new CpuWorkload(15, 8)) {
            RunResult r = new Harness(Map.of(), Harness.Listener.NONE).run(work, "threads", 2, 0, 1);
            assertEquals(ResultsJson.toLine(r), RunResultJson.toLine(r));
        }
    }
}
