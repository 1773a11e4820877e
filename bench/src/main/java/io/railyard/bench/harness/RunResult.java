package io.railyard.bench.harness;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/**
 * What {@code railyard run} reports: one workload on one model, figures as the median of the
 * counted trials (each trial's figures in {@link #trials}). The JSON field names (snake_case) are a
 * stable interface: {@code work, model, n, c, wall_s, cpu_s, peak_rss_bytes, limit_s, ok, failed}
 * are always present.
 *
 * @param temperature   "cold" when the only trial was a fresh JVM's first run, else "warm"
 * @param failures      failed tasks by reason over the counted trials (timeout, body limit, refused,
 *                      unknown host, http status, worker died, member died, budget stop...)
 * @param stopped       the run was stopped (SIGTERM, SIGINT) before its work was done: the figures are partial
 * @param budgetVerdict with a budget: {@code kept} when every counted trial kept it, else {@code crossed}; else null
 * @param processWallS  with {@code processCpuS} and {@code processPeakRssBytes}: the whole command up to
 *                      the result, start-up included, where the trial figures cover the work alone
 *                      ({@link ProcessFigures})
 */
public record RunResult(String work, String model, long n, int c,
                        double wallS, double cpuS, long peakRssBytes, double limitS, long ok, long failed,
                        double coresUsed, double wallVsLimit, double startupS,
                        double queuedP50Us, double queuedP99Us,
                        String temperature, int warmup, Map<String, Object> params, List<Trial> trials,
                        Map<String, Long> failures, boolean stopped,
                        @JsonInclude(JsonInclude.Include.NON_NULL) String budgetVerdict,
                        double processWallS, double processCpuS, long processPeakRssBytes) {
}
