package io.railyard.cli;

import io.railyard.bench.harness.Harness;
import io.railyard.bench.harness.ResultsJson;
import io.railyard.bench.harness.RunResult;
import io.railyard.bench.workload.CpuWorkload;
import io.railyard.bench.workload.IoWorkload;
import io.railyard.bench.workload.Workload;
import io.railyard.core.Models;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The training run the launcher records the JVM's start-up cache from (JDK 25's AOT cache, or CDS on
 * older JDKs): a small amount of every workload on every model present, so that the classes of
 * every command are loaded, linked and profiled once ahead of time. Hidden: users never call it.
 */
@Command(name = "aot-train", hidden = true, description = "Exercise every command path once (for the start-up cache).")
public final class AotTrainCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Harness harness = new Harness(Map.of(), Harness.Listener.NONE);
        try (CpuWorkload cpu = new CpuWorkload(18, 16); IoWorkload io = new IoWorkload(400, 1, null)) {
            for (Workload work : List.of(cpu, io)) {
                for (String model : Models.names()) {
                    if (!work.supports(model)) continue;
                    RunResult r = harness.run(work, model, 20, 0, 1);
                    RunOutput.summary(r);
                    ResultsJson.toLine(r); // JSON output classes too
                }
            }
        }
        return 0;
    }
}
