package io.railyard.bench.compare;

import io.railyard.bench.workload.Scale;
import io.railyard.core.Models;

import java.util.List;
import java.util.Map;

/** One small real comparison of the hog and counter tests, shared by the tests of a JVM (~10 s on two cores). */
public final class SwitchingCompare {
    private SwitchingCompare() {}

    /** The Java models it runs, those present of: one of each kind the tests tell apart. */
    public static final List<String> JAVA = List.of("processes", "threads", "loop", "virtual");

    private static CompareResult result;

    /** Java's processes, threads, loop and virtual, CPython's three when python3 is there; hog and counter; 2 trials. */
    public static synchronized CompareResult result() throws Exception {
        if (result == null) {
            String version = PythonModels.probeVersion("python3");
            List<String> java = Models.names().stream().filter(JAVA::contains).toList();
            CompareOptions o = new CompareOptions(Scale.TINY, 0, 2, java, PythonModels.MODELS, List.of("hog", "counter"),
                    version == null ? null : "python3", version, version == null ? "python3 was not found on the PATH" : null, Map.of());
            result = new CompareRunner(o, CompareRunner.Listener.NONE).run();
        }
        return result;
    }
}
