package io.railyard.cli;

import io.railyard.bench.compare.CellTrial;
import io.railyard.bench.compare.CompareOptions;
import io.railyard.bench.compare.CompareResult;
import io.railyard.bench.compare.CompareRunner;
import io.railyard.bench.compare.PythonModels;
import io.railyard.bench.harness.BudgetCheck;
import io.railyard.bench.harness.ResultsJson;
import io.railyard.bench.report.ReportFiles;
import io.railyard.bench.report.TerminalTable;
import io.railyard.bench.workload.Scale;
import io.railyard.bench.workload.Workloads;
import io.railyard.cluster.MemberOptions;
import io.railyard.core.Models;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code railyard compare}: every workload on every model present (and on CPython's models when
 * python3 is there), the seed's table measured, printed, and written as an HTML report with
 * results.json and CSV beside it. All input is checked before any work starts.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Measure every model on every workload and print the seed's table, measured.",
                "It also writes report/index.html (charts), results.json (every raw sample) and CSV."})
public final class CompareCommand implements Callable<Integer> {

    /**
     * compare runs CPU work on the event loop on purpose, and its table and report show what that does
     * to the loop (cores used, wall vs limit); the loop's slow-callback warnings would only repeat it
     * on the terminal, so they stay off it. Held here: the logging framework keeps loggers weakly.
     */
    private static final java.util.logging.Logger LOOP_WARNINGS = java.util.logging.Logger.getLogger("io.railyard.loop");

    @Spec
    CommandSpec spec;

    static final class Size {
        @Option(names = "--quick", description = "small sizes, one counted trial: about 35 s")
        boolean quick;

        @Option(names = "--full", description = "sweep concurrency levels for the scaling curves (several minutes)")
        boolean full;

        @Option(names = "--scale", hidden = true, description = "tiny, quick, default or full")
        Scale scale;
    }

    @ArgGroup(exclusive = true)
    Size size = new Size();

    @Option(names = "--models", split = ",", paramLabel = "NAME[,NAME...]",
            description = "models to compare (default: every Java model present and CPython's threading, asyncio, multiprocessing)")
    List<String> models;

    @Option(names = "--workloads", split = ",", paramLabel = "NAME[,NAME...]",
            description = "workloads to run (default: all: ${COMPLETION-CANDIDATES})", completionCandidates = WorkloadNames.class)
    List<String> workloads;

    @Option(names = "--trials", paramLabel = "T", description = "counted trials per cell (default: 3, --quick: 1)")
    Integer trials;

    @Option(names = "--warmup", paramLabel = "W", description = "uncounted warm-up runs per cell (default: 1)")
    Integer warmup;

    @Option(names = "--report", paramLabel = "DIR", defaultValue = "report",
            description = "where index.html, results.json, results.csv and trials.csv go (default: ${DEFAULT-VALUE})")
    Path report;

    @Option(names = "--json", paramLabel = "FILE", description = "also write the whole result (results.json) to FILE")
    Path json;

    @Option(names = "--python", paramLabel = "PATH", description = "the CPython to measure (default: python3 on the PATH, if any)")
    String python;

    @Option(names = "--no-python", description = "do not measure CPython")
    boolean noPython;

    @Option(names = "--model-option", paramLabel = "KEY=VALUE", description = "a model-specific setting, repeatable")
    Map<String, String> modelOptions = new LinkedHashMap<>();

    @Mixin
    BudgetOptions budgetOptions;

    @Option(names = "--cluster", paramLabel = "HOST:PORT[,...]",
            description = "measure the cluster model on the members ('railyard member') listening there (default: an embedded member)")
    String cluster;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
        ModelOptionKeys.checkAny(modelOptions);
        LOOP_WARNINGS.setLevel(java.util.logging.Level.SEVERE);
        CompareOptions options = options();
        UserError.whenRejected(() -> ReportFiles.checkWritable(report));
        if (json != null) UserError.whenRejected(() -> ReportFiles.checkWritableFile(json));
        CompareResult result;
        try (CompareProgress progress = CompareProgress.forTerminal(err)) {
            result = new CompareRunner(options, progress).run();
        }
        Path index = ReportFiles.write(report, result);
        if (json != null) ResultsJson.write(json, result);
        out.print(TerminalTable.render(result));
        out.flush();
        err.println("railyard: report " + index + " (with results.json, results.csv, trials.csv)" + (json != null ? "; JSON " + json : ""));
        if (options.budget() != null) {
            List<BudgetCheck> checks = result.cells().stream().flatMap(c -> c.trials().stream())
                    .map(CellTrial::budget).filter(java.util.Objects::nonNull).toList();
            long kept = checks.stream().filter(BudgetCheck::kept).count();
            err.println("railyard: budget " + options.budget() + (options.autoscale() != null ? ", autoscaled" : "")
                    + ": kept by " + kept + " of " + checks.size() + " Java trials (per-trial checks in results.json)");
        }
        long failed = result.cells().stream().filter(c -> c.status().equals("failed")).count();
        if (failed > 0) err.println("railyard: " + failed + " cell(s) failed; their reasons are in the table and the report");
        err.flush();
        return failed == 0 ? 0 : 1;
    }

    private Scale scale() {
        if (size.scale != null) return size.scale;
        if (size.quick) return Scale.QUICK;
        if (size.full) return Scale.FULL;
        return Scale.DEFAULT;
    }

    /** Checks every name and number and finds CPython, before any work. */
    CompareOptions options() {
        Scale scale = scale();
        int t = trials != null ? trials : (scale == Scale.QUICK || scale == Scale.TINY ? 1 : 3);
        int w = warmup != null ? warmup : 1;
        Validate.positive("--trials", t);
        if (w < 0) throw new UserError("--warmup must be 0 or more, was " + w);
        List<String> javaModels = new ArrayList<>(), pyModels = new ArrayList<>();
        if (models == null || models.isEmpty()) {
            javaModels.addAll(Models.names());
            if (!noPython) pyModels.addAll(PythonModels.MODELS);
        } else {
            for (String m : models) {
                if (Models.has(m)) javaModels.add(m);
                else if (PythonModels.MODELS.contains(m)) pyModels.add(m);
                else throw new UserError("unknown model '" + m + "' in --models: choose from "
                            + String.join(", ", Models.names()) + ", " + String.join(", ", PythonModels.MODELS));
            }
        }
        if (cluster != null) {
            List<String> members = UserError.whenRejected(() -> MemberOptions.addresses("--cluster", cluster));
            if (javaModels.contains("cluster")) checkSomeMemberListens(members);
            modelOptions.put("cluster", String.join(",", members));
        }
        for (String m : javaModels) RunOptions.checkModelOptions(m, 1, modelOptions);
        List<String> works = workloads == null || workloads.isEmpty() ? Workloads.names() : workloads;
        for (String wk : works)
            if (!Workloads.names().contains(wk))
                throw new UserError("unknown workload '" + wk + "' in --workloads: choose from " + String.join(", ", Workloads.names()));
        String exe = null, version = null, reason = null;
        if (noPython) reason = "--no-python was given";
        else if (python != null) {
            version = PythonModels.probeVersion(python);
            if (version == null) throw new UserError("--python '" + python + "' cannot be run as CPython 3: give the path of a python3, or --no-python");
            exe = python;
        } else if (!pyModels.isEmpty()) {
            version = PythonModels.probeVersion("python3");
            if (version == null) reason = "python3 was not found on the PATH (install it, or point --python at one)";
            else exe = "python3";
        }
        if (pyModels.isEmpty()) exe = null;
        return new CompareOptions(scale, w, t, javaModels, pyModels, works, exe, version, reason, modelOptions,
                budgetOptions.given() ? budgetOptions.budget() : null, budgetOptions.autoscaleOptions());
    }

    /** How long the check of {@code --cluster} waits for each address to accept a connection. */
    static final int MEMBER_CONNECT_MILLIS = 2_000;

    /**
     * Refuses {@code --cluster} before any work when no address accepts a TCP connection: the
     * cluster's cells would each wait for it, then fail, minutes into the comparison. A member that
     * listens but refuses this client (another cluster name, another secret) is left to the cells.
     */
    private static void checkSomeMemberListens(List<String> members) {
        String why = "";
        for (String member : members) {
            int colon = member.lastIndexOf(':');
            String host = member.substring(0, colon).replace("[", "").replace("]", "");
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(host, Integer.parseInt(member.substring(colon + 1))), MEMBER_CONNECT_MILLIS);
                return;
            } catch (java.io.IOException | RuntimeException e) {
                why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
        }
        throw new UserError("--cluster " + String.join(",", members) + ": no member answers there (" + why
                + "): start members with 'railyard member', fix the address, or leave out --cluster for an embedded member");
    }

    static final class WorkloadNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Workloads.names().iterator();
        }
    }
}
