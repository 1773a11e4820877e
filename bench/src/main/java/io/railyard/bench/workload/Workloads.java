package io.railyard.bench.workload;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The workloads {@code railyard compare} knows, by name, each with its sizes and concurrency levels
 * per {@link Scale} and, when CPython has the same work, the arguments of the CPython script.
 * Adding a workload to compare is one {@link Entry} in {@link #ENTRIES}; for the IO work, with a
 * workload that starts the latency server and exposes its URL, that is:
 * <pre>
 * new Entry("io", "N GETs of latency L, at most C in flight", (s, cores) -> List.of(64),
 *         (s, c) -> new IoWorkload(n, c, latencyMs),
 *         (s, c, java) -> List.of("--work", "io", "--n", n, "--url", url, "--latency-ms", latencyMs))
 * </pre>
 * The table reads each work at the default scale's highest level ({@code tableC}); the rows that
 * need {@code io} and {@code connections} state that they were not run until those are registered.
 *
 * <p>Immutable and thread-safe.
 */
public final class Workloads {
    private Workloads() {}

    /** How to build a workload for compare. */
    public interface Factory {
        Workload create(Scale scale, int concurrency);
    }

    /** The concurrency levels compare runs a workload at. */
    public interface Levels {
        List<Integer> at(Scale scale, int cores);
    }

    /**
     * The CPython form of a workload: the arguments of {@code compare_models.py} for the same work
     * at the same concurrency. {@code java} is the Java workload of that cell (for a server URL it
     * started); an empty list means CPython has no form of this work.
     */
    public interface PythonForm {
        PythonForm NONE = (scale, c, java) -> List.of();

        List<String> args(Scale scale, int concurrency, Workload java);
    }

    /**
     * One workload compare can run.
     *
     * @param name    the name on the command line and in results
     * @param summary one line for --help and the report
     */
    public record Entry(String name, String summary, Levels levels, Factory factory, PythonForm python) {}

    /**
     * fib(K) per task: 5-8 ms in Java, so that a cell's serial work (0.1-0.5 s) outweighs starting
     * a pool of worker processes (~0.15 s); CPython runs fib(K-8), about as long per task.
     */
    static int cpuK(Scale s) {
        return switch (s) {
            case TINY -> 27;
            case QUICK -> 32;
            case DEFAULT, FULL -> 33;
        };
    }

    static int cpuM(Scale s) {
        return switch (s) {
            case TINY -> 16;
            case QUICK -> 24;
            case DEFAULT -> 48;
            case FULL -> 64;
        };
    }

    /** CPython's fib argument for about the same time per task as Java's fib(cpuK) (~50x slower per call). */
    static int cpuPythonK(Scale s) {
        return cpuK(s) - 8;
    }

    /** How long the CPython side measures its serial task time per trial: short for the quick scales. */
    static int pythonCalibrateMs(Scale s) {
        return s == Scale.TINY || s == Scale.QUICK ? 50 : 200;
    }

    static int tinyN(Scale s) {
        return switch (s) {
            case TINY -> 200;
            case QUICK -> 2_000;
            case DEFAULT -> 10_000;
            case FULL -> 50_000;
        };
    }

    /** Server latency of the io work: long enough that waiting dominates, short enough for a quick run. */
    static final int IO_LATENCY_MS = 50;

    static List<Integer> ioLevels(Scale s) {
        return switch (s) {
            case TINY -> List.of(8);
            case QUICK -> List.of(8); // processes: 8 worker JVMs per run, not 16, keeps --quick under 30 s
            case DEFAULT -> List.of(64);
            case FULL -> List.of(1, 10, 100, 1000);
        };
    }

    /** Requests per run: 10 rounds of C in flight (6 at QUICK, 5 at FULL scale with at least 20). */
    static int ioN(Scale s, int c) {
        return switch (s) {
            case TINY -> 2 * c;
            case QUICK -> 6 * c;
            case DEFAULT -> 10 * c;
            case FULL -> Math.max(20, 5 * c);
        };
    }

    static List<Integer> connectionLevels(Scale s) {
        return switch (s) {
            case TINY -> List.of(20);
            case QUICK -> List.of(100);
            case DEFAULT -> List.of(1000);
            case FULL -> List.of(100, 1000, 10000);
        };
    }

    /**
     * How long a hog of the hog test computes: the seed's ~200 ms, far longer than any hand-off on a
     * quiet machine; half that for --quick, still ~100 x a hand-off. The tests' scale doubles it:
     * their verdicts must hold on a machine so busy that waking a worker process takes tens of
     * milliseconds.
     */
    static long hogMs(Scale s) {
        return switch (s) {
            case TINY -> 400;
            case QUICK -> 100;
            case DEFAULT, FULL -> 200;
        };
    }

    static int hogShortTasks(Scale s) {
        return s == Scale.DEFAULT || s == Scale.FULL ? 16 : 8;
    }

    /** Increments per pass of the counter test, all tasks together: the seed's 1,000,000, a tenth for the quick scales. */
    static long counterIncrements(Scale s) {
        return s == Scale.DEFAULT || s == Scale.FULL ? 1_000_000 : 100_000;
    }

    /** The registered workloads, in the order compare runs them. */
    static final List<Entry> ENTRIES = List.of(
            new Entry("cpu", "CPU-bound: recursive fib(K) computed M times, one task each",
                    (s, cores) -> s == Scale.FULL ? List.of(1, 2, 4, 8, 16) : List.of(1, cores),
                    (s, c) -> new CpuWorkload(cpuK(s), cpuM(s)),
                    (s, c, java) -> List.of("--work", "cpu", "--k", Integer.toString(cpuPythonK(s)), "--m", Integer.toString(cpuM(s)),
                            "--calibrate-ms", Integer.toString(pythonCalibrateMs(s)))),
            new Entry("tiny", "per-task overhead: N tasks that return their input, at most C in flight",
                    (s, cores) -> s == Scale.FULL ? List.of(1, cores, 16, 256) : List.of(cores),
                    (s, c) -> new TinyWorkload(tinyN(s), c),
                    (s, c, java) -> List.of("--work", "tiny", "--n", Integer.toString(Math.min(tinyN(s), 2_000)),
                            "--calibrate-ms", Integer.toString(pythonCalibrateMs(s)))),
            new Entry("io", "IO-bound: N GET requests of " + IO_LATENCY_MS + " ms server latency, at most C in flight",
                    (s, cores) -> ioLevels(s),
                    (s, c) -> new IoWorkload(ioN(s, c), IO_LATENCY_MS, null),
                    (s, c, java) -> List.of("--work", "io", "--n", Integer.toString(ioN(s, c)), "--url", ((IoWorkload) java).target(),
                            "--latency-ms", Integer.toString(IO_LATENCY_MS))),
            new Entry("connections", "C connections held open at once, 3 echo rounds of 100 ms pause each",
                    (s, cores) -> connectionLevels(s),
                    (s, c) -> new ConnectionsWorkload(c, 3, 100, 20),
                    (s, c, java) -> {
                        ConnectionsWorkload w = (ConnectionsWorkload) java;
                        return List.of("--work", "connections", "--n", Integer.toString(c), "--echo-port", Integer.toString(w.echoPort()),
                                "--rounds", Integer.toString(w.rounds()), "--pause-ms", Integer.toString(w.pauseMs()),
                                "--hold-timeout-s", Integer.toString(w.holdTimeoutS()));
                    }),
            new Entry("hog", "who switches: one task per core computes without yielding, short tasks submitted while they run",
                    (s, cores) -> List.of(HogWorkload.concurrency(cores)),
                    (s, c) -> new HogWorkload(hogMs(s), hogShortTasks(s), c),
                    (s, c, java) -> {
                        HogWorkload w = (HogWorkload) java;
                        return List.of("--work", "hog", "--hogs", Integer.toString(w.hogs()), "--hog-ms", Long.toString(w.hogMs()),
                                "--short-tasks", Integer.toString(hogShortTasks(s)));
                    }),
            new Entry("counter", "a shared counter incremented by C tasks, without coordination and with the model's coordinator",
                    (s, cores) -> List.of(Math.max(2, cores)),
                    (s, c) -> new CounterWorkload(counterIncrements(s), c),
                    (s, c, java) -> List.of("--work", "counter", "--increments", Long.toString(counterIncrements(s)))),
            waitEntry(WaitWorkload.Form.AWAIT), waitEntry(WaitWorkload.Form.BLOCK), waitEntry(WaitWorkload.Form.OFFLOAD)
    );

    /** How long each task of the wait works waits: the blocked loop takes N times this. */
    static final int WAIT_LATENCY_MS = 10;

    /** The wait works' C: enough tasks in flight that a loop taking them one at a time is plainly slower. */
    static int waitC(Scale s) {
        return switch (s) {
            case TINY, QUICK -> 8;
            case DEFAULT, FULL -> 32;
        };
    }

    /** Three rounds of C: the blocked loop's run is 3 x C x L (0.24 s at QUICK, 1 s at DEFAULT). */
    static int waitN(int c) {
        return 3 * c;
    }

    /** One of the three forms of N waits of L ms ({@link WaitWorkload}), on the models that form is for. */
    private static Entry waitEntry(WaitWorkload.Form form) {
        return new Entry(form.work, "N waits of " + WAIT_LATENCY_MS + " ms, at most C in flight: " + form.how,
                (s, cores) -> List.of(waitC(s)),
                (s, c) -> new WaitWorkload(form, waitN(c), WAIT_LATENCY_MS),
                (s, c, java) -> List.of("--work", form.work, "--n", Integer.toString(waitN(c)),
                        "--latency-ms", Integer.toString(WAIT_LATENCY_MS)));
    }

    public static List<Entry> all() {
        return ENTRIES;
    }

    public static List<String> names() {
        return ENTRIES.stream().map(Entry::name).toList();
    }

    /**
     * The named workload.
     *
     * @throws IllegalArgumentException naming the workload and the ones that exist
     */
    public static Entry get(String name) {
        for (Entry e : ENTRIES) if (e.name().equals(name)) return e;
        throw new IllegalArgumentException("unknown workload '" + name + "': choose one of "
                + ENTRIES.stream().map(Entry::name).collect(Collectors.joining(", ")));
    }

    /** Name to entry, in order. */
    public static Map<String, Entry> byName() {
        Map<String, Entry> m = new LinkedHashMap<>();
        for (Entry e : ENTRIES) m.put(e.name(), e);
        return m;
    }
}
