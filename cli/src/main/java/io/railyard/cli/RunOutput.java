package io.railyard.cli;

import io.railyard.bench.harness.Harness;
import io.railyard.bench.harness.ResultsJson;
import io.railyard.bench.harness.RunResult;
import io.railyard.bench.workload.Workload;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Locale;

/** Runs a workload through the harness and prints the human summary and, on request, the JSON. */
final class RunOutput {
    private RunOutput() {}

    static int runAndReport(CommandSpec spec, Workload work, RunOptions options) throws Exception {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        try (Progress progress = Progress.forTerminal(err)) {
            RunResult r = new Harness(options.modelOptions, progress)
                    .run(work, options.model, options.concurrency, options.warmup, options.trials);
            PrintWriter human = options.json ? err : out;
            human.print(summary(r));
            human.flush();
            if (options.json) {
                out.println(ResultsJson.toLine(r));
                out.flush();
            }
            return r.failed() == 0 ? 0 : 1;
        }
    }

    static String summary(RunResult r) {
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "%s on %s: %d tasks, concurrency %d, %s%s%n", r.work(), r.model(), r.n(), r.c(),
                r.temperature(), r.trials().size() > 1 ? " (median of " + r.trials().size() + " trials)" : ""));
        s.append(String.format(Locale.ROOT, "  wall     %8.3f s   limit %.3f s   (%.2f x limit)%n", r.wallS(), r.limitS(), r.wallVsLimit()));
        s.append(String.format(Locale.ROOT, "  cpu      %8.3f s   = %.2f cores busy%n", r.cpuS(), r.coresUsed()));
        s.append(String.format(Locale.ROOT, "  peak rss %8.1f MiB (whole process tree)%n", r.peakRssBytes() / 1048576.0));
        s.append(String.format(Locale.ROOT, "  tasks    %d ok, %d failed   pool start %.1f ms   queued p50 %.0f us, p99 %.0f us%n",
                r.ok(), r.failed(), r.startupS() * 1000, r.queuedP50Us(), r.queuedP99Us()));
        return s.toString();
    }
}
