package io.railyard.bench.compare;

import io.railyard.bench.workload.Scale;
import io.railyard.core.Models;

import java.util.List;
import java.util.Map;

/** One small real comparison shared by the tests of a JVM (a few seconds on two cores). */
public final class TinyCompare {
    private TinyCompare() {}

    private static CompareResult result;

    /** Java models threads and virtual, CPython's three when python3 is there; cpu and tiny; 2 trials. */
    public static synchronized CompareResult result() throws Exception {
        if (result == null) {
            String version = PythonModels.probeVersion("python3");
            List<String> java = Models.names().stream().filter(m -> m.equals("threads") || m.equals("virtual")).toList();
            CompareOptions o = new CompareOptions(Scale.TINY, 0, 2, java, PythonModels.MODELS, List.of("cpu", "tiny"),
                    version == null ? null : "python3", version, version == null ? "python3 was not found on the PATH" : null, Map.of());
            result = new CompareRunner(o, CompareRunner.Listener.NONE).run();
        }
        return result;
    }
}
