package io.railyard.core.autoscale;

import io.railyard.core.probe.ContainerLimits;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a run may use: the most resident memory of the whole process tree, the most CPU (in cores,
 * a rate: CPU seconds per wall second), the most tasks in flight, and optionally the most tasks
 * started per minute. An {@link AutoscaledPool} keeps every one of them.
 *
 * <p>Memory is a ceiling that must never be crossed (a container's limit kills the run); CPU is a
 * rate the pool keeps its average under (a container's quota only throttles). Build one with
 * {@link #resolve} from what the user typed, the environment and the container, or directly with
 * the constructor. Immutable.
 *
 * @param maxMemoryBytes    the most resident memory of this JVM and its descendants, in bytes
 * @param maxCpuCores       the most CPU the tree may use on average, in cores (1.5 = one and a half)
 * @param maxConcurrency    the most tasks in flight at once
 * @param maxTasksPerMinute the most tasks started in any 60 s, or 0 for no limit
 */
public record Budget(long maxMemoryBytes, double maxCpuCores, int maxConcurrency, int maxTasksPerMinute) {

    /** Below this no JVM fits: a smaller budget is a typo (a size without its unit). */
    public static final long MIN_MEMORY_BYTES = 32L << 20;
    /** Crawlee's default maxConcurrency. */
    public static final int DEFAULT_MAX_CONCURRENCY = 200;
    /** Without a container limit, a budget takes this share of the machine's memory (Crawlee's availableMemoryRatio). */
    public static final double DEFAULT_MACHINE_MEMORY_SHARE = 0.25;

    public Budget {
        if (maxMemoryBytes < MIN_MEMORY_BYTES)
            throw new BudgetException("the memory budget must be at least " + mib(MIN_MEMORY_BYTES) + ", was " + mib(maxMemoryBytes));
        if (!(maxCpuCores > 0) || Double.isInfinite(maxCpuCores))
            throw new BudgetException("the CPU budget must be a positive number of cores, was " + maxCpuCores);
        if (maxConcurrency < 1)
            throw new BudgetException("the concurrency budget must be at least 1, was " + maxConcurrency);
        if (maxTasksPerMinute < 0)
            throw new BudgetException("the tasks-per-minute budget must be positive (0: no limit), was " + maxTasksPerMinute);
    }

    public Budget withMaxConcurrency(int maxConcurrency) {
        return new Budget(maxMemoryBytes, maxCpuCores, maxConcurrency, maxTasksPerMinute);
    }

    public Budget withMaxMemoryBytes(long maxMemoryBytes) {
        return new Budget(maxMemoryBytes, maxCpuCores, maxConcurrency, maxTasksPerMinute);
    }

    public Budget withMaxCpuCores(double maxCpuCores) {
        return new Budget(maxMemoryBytes, maxCpuCores, maxConcurrency, maxTasksPerMinute);
    }

    public Budget withMaxTasksPerMinute(int maxTasksPerMinute) {
        return new Budget(maxMemoryBytes, maxCpuCores, maxConcurrency, maxTasksPerMinute);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "memory %s, cpu %.2f cores, concurrency %d%s", mib(maxMemoryBytes), maxCpuCores,
                maxConcurrency, maxTasksPerMinute > 0 ? ", " + maxTasksPerMinute + " tasks/min" : "");
    }

    /**
     * What the user asked for, as typed; {@code null} means "not given". The option names are the
     * ones error messages quote.
     *
     * @param memory            a size ({@code 512m}, {@code 1.5g}, {@code 1073741824}) or a share of
     *                          the container's memory ({@code 0.5}, {@code 50%})
     * @param cpu               cores, e.g. {@code 1.5}
     * @param concurrency       the most tasks in flight
     * @param tasksPerMinute    the most tasks started per minute
     */
    public record Request(String memory, String cpu, Integer concurrency, Integer tasksPerMinute) {
        public static final Request NONE = new Request(null, null, null, null);
    }

    /** The environment variables that set the memory budget in MB, in precedence order. */
    public static final String[] MEMORY_ENV = {"RAILYARD_MEMORY_MBYTES", "APIFY_MEMORY_MBYTES"};

    /**
     * The budget from, in precedence order: the request (flags), the environment
     * ({@code RAILYARD_MEMORY_MBYTES}, then the platform's {@code APIFY_MEMORY_MBYTES}), the
     * container's limits (cgroup v1/v2), and last the machine (a quarter of its memory, all its
     * cores). Nothing may exceed what the container (or the machine) has.
     *
     * @throws BudgetException with one line naming the input and the fix
     */
    public static Budget resolve(Request request, ContainerLimits limits, Map<String, String> env) {
        long available = limits.effectiveMemoryBytes();
        String where = limits.memoryLimitBytes().isPresent() ? "the container's " + mib(available) + " memory limit"
                : "the machine's " + mib(available) + " of memory";
        long memory;
        if (request.memory() != null) {
            memory = parseMemory("--budget-memory", request.memory(), available, where);
        } else {
            memory = -1;
            for (String name : MEMORY_ENV) {
                String v = env.get(name);
                if (v != null && !v.isBlank()) {
                    memory = parseMegabytes(name, v.trim(), available, where);
                    break;
                }
            }
            if (memory < 0) memory = limits.memoryLimitBytes().isPresent() ? available
                    : (long) (available * DEFAULT_MACHINE_MEMORY_SHARE);
        }

        double cores = limits.effectiveCores();
        String coresWhere = limits.cpuLimitCores().isPresent() ? String.format(Locale.ROOT, "the container's CPU quota of %.2f cores", cores)
                : "the machine's " + limits.availableProcessors() + " cores";
        double cpu = cores;
        if (request.cpu() != null) {
            try {
                cpu = Double.parseDouble(request.cpu().trim());
            } catch (NumberFormatException e) {
                throw new BudgetException("--budget-cpu '" + request.cpu() + "' is not a number of cores: give e.g. --budget-cpu 1.5");
            }
            if (!(cpu > 0) || Double.isInfinite(cpu))
                throw new BudgetException("--budget-cpu must be a positive number of cores, was " + request.cpu() + ": give e.g. --budget-cpu 1.5");
            if (cpu > cores + 1e-9)
                throw new BudgetException("--budget-cpu " + request.cpu() + " is more than " + coresWhere + ": give at most "
                        + String.format(Locale.ROOT, "%.2f", cores));
        }

        int concurrency = DEFAULT_MAX_CONCURRENCY;
        if (request.concurrency() != null) {
            concurrency = request.concurrency();
            if (concurrency < 1)
                throw new BudgetException("--budget-concurrency must be at least 1, was " + concurrency);
        }
        int perMinute = 0;
        if (request.tasksPerMinute() != null) {
            perMinute = request.tasksPerMinute();
            if (perMinute < 1)
                throw new BudgetException("--budget-tasks-per-minute must be at least 1, was " + perMinute);
        }
        return new Budget(memory, cpu, concurrency, perMinute);
    }

    private static final Pattern SIZE = Pattern.compile("([0-9]+(?:\\.[0-9]+)?|\\.[0-9]+)\\s*([kmgt]?)(i?b?)", Pattern.CASE_INSENSITIVE);

    /**
     * A memory budget as typed: a size with a unit ({@code k m g t}, optionally followed by
     * {@code b}/{@code ib}; powers of 1024), a whole number of bytes, a share of {@code whole}
     * ({@code 0.5}: a plain number at most 1), or a percentage ({@code 50%}).
     *
     * @param option how the user gave it, for messages ("--budget-memory")
     * @param whole  the memory the budget may not exceed and shares are taken of
     * @param where  how to name {@code whole} in messages
     */
    static long parseMemory(String option, String text, long whole, String where) {
        String s = text.trim();
        String fix = ": give a size like " + option + " 512m or 1.5g, or a share of the memory like 0.5 or 50%";
        if (s.startsWith("-")) throw new BudgetException(option + " must not be negative, was '" + text + "'" + fix);
        long bytes;
        if (s.endsWith("%")) {
            double pct = number(option, text, s.substring(0, s.length() - 1).trim(), fix);
            if (pct <= 0 || pct > 100) throw new BudgetException(option + " " + text + " must be a percentage above 0 and at most 100" + fix);
            bytes = (long) (whole * pct / 100);
        } else {
            Matcher m = SIZE.matcher(s);
            if (!m.matches()) throw new BudgetException(option + " '" + text + "' is not a size" + fix);
            double value = number(option, text, m.group(1), fix);
            String unit = m.group(2).toLowerCase(Locale.ROOT);
            if (unit.isEmpty() && !m.group(3).isEmpty() && !m.group(3).equalsIgnoreCase("b"))
                throw new BudgetException(option + " '" + text + "' is not a size" + fix);
            if (unit.isEmpty() && value <= 1) {
                if (value <= 0) throw new BudgetException(option + " must be above 0, was '" + text + "'" + fix);
                bytes = (long) (whole * value); // a share
            } else {
                int shift = switch (unit) {
                    case "k" -> 10;
                    case "m" -> 20;
                    case "g" -> 30;
                    case "t" -> 40;
                    default -> 0;
                };
                if (unit.isEmpty() && value != Math.rint(value))
                    throw new BudgetException(option + " '" + text + "' has a fraction of a byte" + fix);
                double b = value * (1L << shift);
                if (b > Long.MAX_VALUE / 2) throw new BudgetException(option + " " + text + " is more than " + where);
                bytes = (long) b;
            }
        }
        if (bytes > whole) throw new BudgetException(option + " " + text + " is more than " + where + ": give at most " + mib(whole));
        if (bytes < MIN_MEMORY_BYTES)
            throw new BudgetException(option + " " + text + " is " + mib(bytes) + ", below the " + mib(MIN_MEMORY_BYTES)
                    + " a JVM needs" + fix);
        return bytes;
    }

    /** An environment variable holding megabytes (the platform's convention). */
    static long parseMegabytes(String name, String text, long whole, String where) {
        double mb;
        try {
            mb = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new BudgetException(name + "='" + text + "' is not a number of megabytes: set e.g. " + name + "=512");
        }
        if (!(mb > 0) || Double.isInfinite(mb))
            throw new BudgetException(name + "=" + text + " must be a positive number of megabytes: set e.g. " + name + "=512");
        long bytes = (long) (mb * (1 << 20));
        if (bytes > whole)
            throw new BudgetException(name + "=" + text + " is more than " + where + ": set at most " + whole / (1 << 20));
        if (bytes < MIN_MEMORY_BYTES)
            throw new BudgetException(name + "=" + text + " is below the " + mib(MIN_MEMORY_BYTES) + " a JVM needs: set e.g. " + name + "=512");
        return bytes;
    }

    private static double number(String option, String text, String digits, String fix) {
        try {
            return Double.parseDouble(digits);
        } catch (NumberFormatException e) {
            throw new BudgetException(option + " '" + text + "' is not a size" + fix);
        }
    }

    static String mib(long bytes) {
        return bytes >= (1L << 30) ? String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30))
                : String.format(Locale.ROOT, "%.0f MiB", bytes / (double) (1L << 20));
    }
}
