package io.railyard.core.processes;

import io.railyard.core.codec.JavaSerializationCodec;
import io.railyard.core.codec.PayloadCodec;
import io.railyard.core.codec.AllowList;
import io.railyard.core.BlockingTask;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a {@link ProcessPool} needs beyond a {@link io.railyard.core.PoolSpec}. From strings (the
 * spec's options, e.g. from the command line) with {@link #fromOptions}, or built in code with the
 * {@code with...} methods. Immutable.
 *
 * <table>
 *   <caption>Pool options</caption>
 *   <tr><th>option</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code maxTasksPerWorker}</td><td>tasks a worker runs before it is replaced (Python's
 *       {@code max_tasks_per_child}); 0: no limit</td><td>0</td></tr>
 *   <tr><td>{@code allow}</td><td>comma-separated classes or packages the payload codec may decode,
 *       added to {@link AllowList#DEFAULTS} and to what jars declare in {@value AllowList#RESOURCE}:
 *       {@code com.acme.Task,com.acme.jobs.*,org.x.**}</td><td>none</td></tr>
 *   <tr><td>{@code codec}</td><td>class name of the {@link PayloadCodec}</td><td>{@link JavaSerializationCodec}</td></tr>
 *   <tr><td>{@code initializer}</td><td>class name of a {@link BlockingTask} with a public no-argument
 *       constructor, run once in every worker before its first task</td><td>none</td></tr>
 *   <tr><td>{@code jvmArgs}</td><td>space-separated JVM flags for the workers, after the defaults
 *       (so they win), e.g. {@code -Xmx2g}</td><td>none</td></tr>
 *   <tr><td>{@code maxFrameBytes}</td><td>largest frame (task, result) either side accepts</td><td>64 MiB</td></tr>
 *   <tr><td>{@code startTimeoutMs}</td><td>how long a worker may take from spawn to ready
 *       (initializer included)</td><td>60000</td></tr>
 *   <tr><td>{@code maxMemoryBytes}</td><td>the memory all workers may use together: a pool whose
 *       workers would need more (measured footprint times workers) is refused at open (see
 *       {@link WorkerCap})</td><td>80% of the container's or machine's memory</td></tr>
 *   <tr><td>{@code aotCache}</td><td>{@code auto}: use (or train) an AOT cache for the workers when
 *       the classpath is all jars; {@code existing}: use one that another pool trained, never train
 *       (a pool under a memory budget: a training worker takes ~100 MB more); {@code off}; or a
 *       directory for the caches (see {@link AotCache})</td><td>auto</td></tr>
 *   <tr><td>{@code workerClassPath}</td><td>{@code auto}: this JVM's class path less the jars railyard's
 *       build keeps for the command's own JVM (Netty, Jackson, Hazelcast...); {@code inherit}: this
 *       JVM's class path as it is (see {@link WorkerClassPath})</td><td>auto</td></tr>
 * </table>
 *
 * Other option names are ignored (a spec may carry options for other models).
 */
public record ProcessPoolOptions(int maxTasksPerWorker, List<String> allow, String codec, BlockingTask<?> initializer,
                                 List<String> jvmArgs, int maxFrameBytes, Duration startTimeout, String aotCache, long maxMemoryBytes,
                                 String workerClassPath) {

    public static final int DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;
    /** The option holding the workers' JVM flags. */
    static final String JVM_ARGS = "jvmArgs";
    public static final ProcessPoolOptions DEFAULT = new ProcessPoolOptions(0, List.of(), JavaSerializationCodec.class.getName(),
            null, List.of(), DEFAULT_MAX_FRAME_BYTES, Duration.ofSeconds(60), "auto", 0, WorkerClassPath.AUTO);

    /** The option names of the table above (and {@code initialWorkers}, which every resizable model takes). */
    public static final List<String> KEYS = List.of("maxTasksPerWorker", "allow", "codec", "initializer", "jvmArgs", "maxFrameBytes",
            "startTimeoutMs", "aotCache", "maxMemoryBytes", "workerClassPath", io.railyard.core.Resizable.INITIAL_WORKERS_OPTION);

    public ProcessPoolOptions {
        if (maxTasksPerWorker < 0)
            throw new IllegalArgumentException("maxTasksPerWorker must be >= 0 (0: no limit), was " + maxTasksPerWorker);
        if (maxFrameBytes < 1024)
            throw new IllegalArgumentException("maxFrameBytes must be >= 1024, was " + maxFrameBytes);
        if (startTimeout == null || startTimeout.isNegative() || startTimeout.isZero())
            throw new IllegalArgumentException("startTimeout must be positive, was " + startTimeout);
        allow = List.copyOf(allow);
        jvmArgs = List.copyOf(jvmArgs);
        AllowList.of(allow); // validates the patterns
        if (codec == null || codec.isBlank()) throw new IllegalArgumentException("codec must name a PayloadCodec class");
        if (maxMemoryBytes < 0) throw new IllegalArgumentException("maxMemoryBytes must be positive (0: a share of the machine), was " + maxMemoryBytes);
        if (aotCache == null || aotCache.isBlank())
            throw new IllegalArgumentException("aotCache must be auto, existing, off or a directory, was '" + aotCache + "'");
        if (!WorkerClassPath.AUTO.equals(workerClassPath) && !WorkerClassPath.INHERIT.equals(workerClassPath))
            throw new IllegalArgumentException("workerClassPath must be " + WorkerClassPath.AUTO + " or " + WorkerClassPath.INHERIT
                    + ", was '" + workerClassPath + "'");
    }

    /**
     * Reads the options of the table above from strings.
     *
     * @throws IllegalArgumentException naming the option, its value and the fix
     */
    public static ProcessPoolOptions fromOptions(Map<String, String> options) {
        ProcessPoolOptions o = DEFAULT;
        String v;
        if ((v = options.get("maxTasksPerWorker")) != null) o = o.withMaxTasksPerWorker(integer("maxTasksPerWorker", v));
        if ((v = options.get("allow")) != null) o = o.withAllow(split(v, ","));
        if ((v = options.get("codec")) != null) o = o.withCodec(v.trim());
        if ((v = options.get("initializer")) != null) o = o.withInitializer(instantiate(v.trim()));
        if ((v = options.get(JVM_ARGS)) != null) o = o.withJvmArgs(split(v, " "));
        if ((v = options.get("maxFrameBytes")) != null) o = o.withMaxFrameBytes(integer("maxFrameBytes", v));
        if ((v = options.get("startTimeoutMs")) != null) o = o.withStartTimeout(Duration.ofMillis(integer("startTimeoutMs", v)));
        if ((v = options.get("aotCache")) != null) o = o.withAotCache(v.trim());
        if ((v = options.get("workerClassPath")) != null) o = o.withWorkerClassPath(v.trim());
        if ((v = options.get("maxMemoryBytes")) != null) {
            try {
                o = o.withMaxMemoryBytes(Long.parseLong(v.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("option maxMemoryBytes=" + v + " is not a whole number of bytes: give e.g. maxMemoryBytes=536870912");
            }
        }
        return o;
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + name + "=" + value + " is not a whole number: give e.g. " + name + "=100");
        }
    }

    private static List<String> split(String value, String separator) {
        return Arrays.stream(value.split(separator)).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    private static BlockingTask<?> instantiate(String className) {
        try {
            Object o = Class.forName(className).getConstructor().newInstance();
            if (o instanceof BlockingTask<?> task) return task;
            throw new IllegalArgumentException("option initializer=" + className + " is not a " + BlockingTask.class.getName());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("option initializer=" + className
                    + " must name a class on the classpath with a public no-argument constructor (" + e + ")");
        }
    }

    public ProcessPoolOptions withMaxTasksPerWorker(int n) {
        return new ProcessPoolOptions(n, allow, codec, initializer, jvmArgs, maxFrameBytes, startTimeout, aotCache, maxMemoryBytes, workerClassPath);
    }

    public ProcessPoolOptions withAllow(List<String> patterns) {
        return new ProcessPoolOptions(maxTasksPerWorker, patterns, codec, initializer, jvmArgs, maxFrameBytes, startTimeout, aotCache, maxMemoryBytes, workerClassPath);
    }

    public ProcessPoolOptions withCodec(String codecClass) {
        return new ProcessPoolOptions(maxTasksPerWorker, allow, codecClass, initializer, jvmArgs, maxFrameBytes, startTimeout, aotCache, maxMemoryBytes, workerClassPath);
    }

    /** {@code task} runs once in every worker before its first task; it must be encodable. */
    public ProcessPoolOptions withInitializer(BlockingTask<?> task) {
        return new ProcessPoolOptions(maxTasksPerWorker, allow, codec, task, jvmArgs, maxFrameBytes, startTimeout, aotCache, maxMemoryBytes, workerClassPath);
    }

    public ProcessPoolOptions withJvmArgs(List<String> args) {
        return new ProcessPoolOptions(maxTasksPerWorker, allow, codec, initializer, args, maxFrameBytes, startTimeout, aotCache, maxMemoryBytes, workerClassPath);
    }

    public ProcessPoolOptions withMaxFrameBytes(int bytes) {
        return new ProcessPoolOptions(maxTasksPerWorker, allow, codec, initializer, jvmArgs, bytes, startTimeout, aotCache, maxMemoryBytes, workerClassPath);
    }

    public ProcessPoolOptions withStartTimeout(Duration timeout) {
        return new ProcessPoolOptions(maxTasksPerWorker, allow, codec, initializer, jvmArgs, maxFrameBytes, timeout, aotCache, maxMemoryBytes, workerClassPath);
    }

    /** {@code auto}, {@code off}, or a directory for the workers' AOT caches. */
    public ProcessPoolOptions withAotCache(String aotCache) {
        return new ProcessPoolOptions(maxTasksPerWorker, allow, codec, initializer, jvmArgs, maxFrameBytes, startTimeout, aotCache, maxMemoryBytes, workerClassPath);
    }

    /** The memory all workers may use together (0: a share of the machine); see {@link WorkerCap}. */
    public ProcessPoolOptions withMaxMemoryBytes(long bytes) {
        return new ProcessPoolOptions(maxTasksPerWorker, allow, codec, initializer, jvmArgs, maxFrameBytes, startTimeout, aotCache, bytes, workerClassPath);
    }

    /**
     * {@code auto}: the workers get this JVM's class path less the jars railyard's build keeps for
     * the command's own JVM; {@code inherit}: this JVM's class path as it is (see {@link WorkerClassPath}).
     */
    public ProcessPoolOptions withWorkerClassPath(String option) {
        return new ProcessPoolOptions(maxTasksPerWorker, allow, codec, initializer, jvmArgs, maxFrameBytes, startTimeout, aotCache, maxMemoryBytes, option);
    }
}
