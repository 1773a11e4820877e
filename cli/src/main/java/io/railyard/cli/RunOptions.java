package io.railyard.cli;

import io.railyard.cluster.MemberOptions;
import io.railyard.core.Models;
import io.railyard.core.PoolSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** Options every {@code run} workload takes: the model, the concurrency, trials and output. */
public final class RunOptions {

    @Option(names = {"--model"}, paramLabel = "MODEL",
            description = "concurrency model: ${COMPLETION-CANDIDATES} (default: threads; cluster with --cluster)",
            completionCandidates = ModelNames.class)
    String model;

    @Option(names = "--cluster", paramLabel = "HOST:PORT[,...]",
            description = "run on the cluster whose members ('railyard member') listen there, as a client (model cluster)")
    String cluster;

    @Option(names = {"-c", "--concurrency"}, paramLabel = "C", defaultValue = "2",
            description = "most tasks in flight at once (default: ${DEFAULT-VALUE})")
    int concurrency;

    @Option(names = "--warmup", paramLabel = "W", defaultValue = "0",
            description = "uncounted runs in the same JVM before the trials (default: ${DEFAULT-VALUE})")
    int warmup;

    @Option(names = "--trials", paramLabel = "T", defaultValue = "1",
            description = "counted runs; figures are their medians (default: ${DEFAULT-VALUE})")
    int trials;

    @Option(names = "--json", description = "print exactly one JSON object on stdout (the summary goes to stderr)")
    boolean json;

    @Mixin
    BudgetOptions budget;

    @Option(names = "--model-option", paramLabel = "KEY=VALUE",
            description = "a model-specific setting, repeatable (e.g. maxTasksPerWorker=100 for processes)")
    Map<String, String> modelOptions = new LinkedHashMap<>();

    /** Checks what picocli's types cannot: known model, positive numbers. */
    void validate() {
        if (model == null) model = cluster != null ? "cluster" : "threads";
        if (cluster != null) {
            if (!model.equals("cluster"))
                throw new UserError("--cluster runs on a cluster, but --model is " + model + ": drop --model or give --model cluster");
            modelOptions.put("cluster", String.join(",", UserError.whenRejected(() -> MemberOptions.addresses("--cluster", cluster))));
        }
        if (!Models.has(model))
            throw new UserError("unknown model '" + model + "': choose one of " + String.join(", ", Models.names()));
        ModelOptionKeys.check(model, modelOptions);
        Validate.positive("-c", concurrency);
        Validate.positive("--trials", trials);
        if (warmup < 0) throw new UserError("--warmup must be 0 or more, was " + warmup);
        checkModelOptions(model, concurrency, modelOptions);
    }

    /** The {@code --model-option}s as {@code model} reads them, checked before any work. */
    static void checkModelOptions(String model, int concurrency, Map<String, String> modelOptions) {
        UserError.whenRejected(() -> Models.get(model).checkOptions(PoolSpec.of(concurrency).withOptions(modelOptions)));
    }

    /** The model names for completion and --help. */
    static final class ModelNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return Models.names().iterator();
        }
    }
}
