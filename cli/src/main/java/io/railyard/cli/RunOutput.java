package io.railyard.cli;

import io.railyard.bench.harness.Harness;
import io.railyard.bench.harness.RunResultJson;
import io.railyard.bench.harness.BudgetCheck;
import io.railyard.bench.harness.RunResult;
import io.railyard.bench.harness.Trial;
import io.railyard.core.autoscale.AutoscaleReport;
import io.railyard.core.autoscale.ScalingDecision;
import io.railyard.bench.workload.Workload;
import io.railyard.cluster.ClusterUnreachableException;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs a workload through the harness and prints the human summary and, on request, the JSON. A
 * run stopped by SIGTERM or SIGINT (Ctrl-C) still prints both, for what was done, with
 * {@code "stopped": true}: a hook stops the harness and waits (bounded) for the output.
 */
final class RunOutput {
    private RunOutput() {}

    /** How long a stopping JVM waits for the partial summary before it exits anyway. */
    private static final long STOP_OUTPUT_WAIT_SECONDS = 20;

    static int runAndReport(CommandSpec spec, Workload work, RunOptions options) throws Exception {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        if (!work.supports(options.model)) throw new UserError(work.unsupportedReason(options.model));
        int concurrency = options.concurrency;
        if (options.budget.autoscaled()) {
            if (spec.commandLine().getParseResult().hasMatchedOption("--concurrency"))
                throw new UserError("-c sets a fixed concurrency and --autoscale chooses it: drop -c, and give the most with --budget-concurrency");
            concurrency = budget(options).maxConcurrency(); // the limit_s of the most the autoscaler may use
        } else if (options.budget.given()) {
            BudgetRefusal.refuseIfAlreadyExceeded(budget(options)); // a budget that cannot be kept fails before any work
        }
        try (Progress progress = Progress.forTerminal(err)) {
            Harness harness = UserError.whenRejected(() -> options.budget.apply(new Harness(options.modelOptions, progress)));
            CountDownLatch printed = new CountDownLatch(1);
            Harness running = harness;
            Thread hook = new Thread(() -> {
                running.stop();
                try {
                    printed.await(STOP_OUTPUT_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "railyard-run-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                RunResult r = runAtTheBoundary(harness, work, options, concurrency);
                PrintWriter human = options.json ? err : out;
                human.print(summary(r));
                human.flush();
                if (options.json) {
                    out.println(RunResultJson.toLine(r)); // the mapper's text, without building the mapper
                    out.flush();
                }
                if ("crossed".equals(r.budgetVerdict()) && !r.stopped()) {
                    err.println("railyard: the run crossed its budget (see the budget line): give a larger budget"
                            + (options.budget.autoscaled() ? "" : ", a lower -c, or --autoscale"));
                    err.flush();
                    return 1;
                }
                return r.failed() == 0 && !r.stopped() ? 0 : 1;
            } finally {
                printed.countDown();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException stopping) {
                    // the JVM is stopping: the hook is running and has its output
                }
            }
        }
    }

    /** The budget from the flags, a bad one as the cli's one-line error. */
    private static io.railyard.core.autoscale.Budget budget(RunOptions options) {
        return UserError.whenRejected(options.budget::budget);
    }

    /**
     * Runs the harness, turning what is the user's to fix into the cli's one-line error (exit 2):
     * a model option or budget the model refuses, a budget the run found it cannot keep, a pool
     * that cannot start with the given settings.
     */
    private static RunResult runAtTheBoundary(Harness harness, Workload work, RunOptions options, int concurrency) throws Exception {
        try {
            return harness.run(work, options.model, concurrency, options.warmup, options.trials);
        } catch (ClusterUnreachableException e) { // the --cluster address the user gave
            throw new UserError(e.getMessage(), e);
        } catch (IllegalArgumentException e) { // a pool refusing its options: a budget, a JVM flag, more workers than memory
            throw new UserError(e.getMessage(), e);
        } catch (java.util.concurrent.CancellationException e) { // stopped before any task ran
            throw new UserError(e.getMessage(), e);
        }
    }

    static String summary(RunResult r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s on %s: %d tasks, concurrency %d, %s%s%n", r.work(), r.model(), r.n(), r.c(),
                r.temperature(), r.trials().size() > 1 ? " (median of " + r.trials().size() + " trials)" : ""));
        // a few tiny tasks: 0.000 s would say nothing
        String limit = r.limitS() >= 0.01 || r.limitS() == 0 ? String.format(Locale.ROOT, "%.3f s", r.limitS())
                : r.limitS() >= 1e-5 ? String.format(Locale.ROOT, "%.3f ms", r.limitS() * 1e3)
                : String.format(Locale.ROOT, "%.3f \u00b5s", r.limitS() * 1e6);
        String ratio = Double.isFinite(r.wallVsLimit()) ? String.format(Locale.ROOT, "%.2f x limit", r.wallVsLimit())
                : "no ratio to a limit of 0"; // run io --latency-ms 0
        s.append(String.format(Locale.ROOT, "  wall     %8.3f s   limit %s   (%s)%n", r.wallS(), limit, ratio));
        s.append(String.format(Locale.ROOT, "  cpu      %8.3f s   = %.2f cores busy%n", r.cpuS(), r.coresUsed()));
        s.append(String.format(Locale.ROOT, "  peak rss %8.1f MiB (whole process tree)%n", r.peakRssBytes() / 1048576.0));
        s.append(String.format(Locale.ROOT, "  process  wall %.3f s, cpu %.3f s, peak rss %.1f MiB (the whole command so far: start-up and every process included)%n",
                r.processWallS(), r.processCpuS(), r.processPeakRssBytes() / 1048576.0));
        s.append(String.format(Locale.ROOT, "  tasks    %d ok, %d failed   pool start %.1f ms   queued p50 %.0f us, p99 %.0f us%n",
                r.ok(), r.failed(), r.startupS() * 1000, r.queuedP50Us(), r.queuedP99Us()));
        if (r.failures() != null && !r.failures().isEmpty()) {
            StringBuilder why = new StringBuilder();
            r.failures().forEach((reason, n) -> why.append(why.isEmpty() ? "" : ", ").append(n).append(' ').append(reason));
            s.append("  failures ").append(why).append(String.format(Locale.ROOT, "%n"));
        }
        if (r.stopped()) s.append(String.format(Locale.ROOT, "  STOPPED  before the work was done: the figures are of what was done%n"));
        for (int i = 0; i < r.trials().size(); i++) {
            Trial t = r.trials().get(i);
            String which = r.trials().size() > 1 ? " (trial " + (i + 1) + ")" : "";
            AutoscaleReport a = t.autoscale();
            if (a != null) {
                int max = a.decisions().stream().mapToInt(ScalingDecision::to).max().orElse(a.finalDesired());
                s.append(String.format(Locale.ROOT, "  autoscale%s %s: %d decisions, desired up to %d, %d at the end, steady after %.1f s%s%n",
                        which, a.mode(), a.decisions().size(), Math.max(max, a.finalDesired()), a.finalDesired(), a.steadyAfterS(),
                        a.stoppedTasks() > 0 ? ", " + a.stoppedTasks() + " tasks stopped for memory" : ""));
            }
            BudgetCheck b = t.budget();
            if (b != null) {
                s.append(String.format(Locale.ROOT, "  budget%s   memory peak %.1f of %.1f MiB (%d of %d samples over), cpu peak %.2f of %.2f cores (%d of %d 2-s windows over): %s%n",
                        which, b.peakRssBytes() / 1048576.0, b.memoryBudgetBytes() / 1048576.0, b.memoryBreaches(), b.memorySamples(),
                        b.peakCpuCores(), b.cpuBudgetCores(), b.cpuBreaches(), b.cpuWindows(), b.kept() ? "kept" : "CROSSED"));
            }
        }
        return s.toString();
    }
}
