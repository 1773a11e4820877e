package io.railyard.bench.compare;

import java.util.List;
import java.util.Map;

/**
 * The seed's comparison table ({@code seed/000_71e17bf0266eea2f.txt}, "TL;DR") as its author wrote
 * it: its eleven row names in its order, its three columns, and its words for the rows railyard
 * states beside a measurement. {@link Table.Row#seedRow()} names one of {@link #ROWS}, so a reader
 * holding the seed finds each of its rows in the terminal table, the report and results.json.
 *
 * <p>Constants only; thread-safe.
 */
public final class SeedIndex {
    private SeedIndex() {}

    public static final String CPU = "CPU", MULTITASKING = "Multitasking Strategy", SWITCHING = "Switching Decision",
            USE_CASES = "Use Cases/Examples", SYNCHRONIZATION = "Synchronization Coordinator",
            GIL = "Limitation by Global Interpreter Lock (GIL)", SCALABILITY = "Scalability Limitation",
            CODE_COMPLEXITY = "Code Complexity", PACKAGE = "Package", PERFORMANCE = "Performance Optimization",
            GENERAL = "General";

    /** The seed's rows, in the seed's order. */
    public static final List<String> ROWS = List.of(CPU, MULTITASKING, SWITCHING, USE_CASES, SYNCHRONIZATION, GIL,
            SCALABILITY, CODE_COMPLEXITY, PACKAGE, PERFORMANCE, GENERAL);

    /** The seed's columns, in its order. */
    public static final String MULTIPROCESSING = "Multiprocessing", THREADING = "Threading", ASYNC_IO = "Asynchronous IO";
    public static final List<String> COLUMNS = List.of(MULTIPROCESSING, THREADING, ASYNC_IO);

    /**
     * The seed's column a model stands for: its own CPython model, or railyard's engine of the same
     * kind (DESIGN.md, "The models"); null for a model beyond the seed (virtual, cluster).
     */
    public static String columnOf(String model) {
        return switch (model) {
            case "processes", "multiprocessing" -> MULTIPROCESSING;
            case "threads", "threading" -> THREADING;
            case "loop", "asyncio" -> ASYNC_IO;
            default -> null;
        };
    }

    /** The seed's words in a row, per column, for the rows railyard quotes. */
    public static final Map<String, List<String>> WORDS = Map.of(
            MULTITASKING, List.of("Preemptive", "Preemptive", "Cooperative"),
            SWITCHING, List.of("The processes all run at the same time on different processors (CPU cores)",
                    "The OS decides when to switch tasks that are external to Python", "The tasks decide when to give up control"),
            SYNCHRONIZATION, List.of("IPC", "Locks/Semaphore", "No locks, required developers write non-blocking code"),
            SCALABILITY, List.of("Number of CPU cores", "GIL (suitable for few threads)", "All awaited tasks are long-running ones"),
            CODE_COMPLEXITY, List.of("High (IPC, memory separation, ...)", "Moderate (race condition, OS-level management, GIL limitation...)",
                    "Low/Moderate (non-blocking code required)"),
            PACKAGE, List.of("multiprocessing (low-level), concurrent.futures (high-level)",
                    "threading (low-level), concurrent.futures (high-level)", "asyncio"),
            PERFORMANCE, List.of("Avoids GIL, uses as much cores as possible", "Only blocking libraries are available",
                    "Non-blocking libraries are available as well"),
            GENERAL, List.of("Multiple system processes run multiple ToTs at the same time",
                    "Single process, multiple threads can only run 1 ToT, but cleverly take turns to speed up the overall process",
                    "Single process, single-threaded can only run 1 ToT, but cleverly take turns to speed up the overall process"));

    /** The seed's words in {@code row} for {@code model}'s column, or null (no such words, or a model beyond the seed). */
    public static String words(String row, String model) {
        String col = columnOf(model);
        List<String> w = WORDS.get(row);
        return col == null || w == null ? null : w.get(COLUMNS.indexOf(col));
    }

    /** railyard's rows of its own that answer one of the seed's rows: the row key to the seed's row. */
    static final Map<String, String> ANSWERED_BY_EXISTING_ROWS = Map.of(
            "cpu_cores", CPU, "gil", GIL, "recommended", USE_CASES, "connections", SCALABILITY);

    /** {@code row} marked with the seed's row it answers, when it is one of {@link #ANSWERED_BY_EXISTING_ROWS}. */
    static Table.Row marked(Table.Row row) {
        String seed = ANSWERED_BY_EXISTING_ROWS.get(row.key());
        return seed == null || row.seedRow() != null ? row : row.withSeedRow(seed);
    }
}
