package io.railyard.cli;

import io.railyard.bench.harness.Harness;
import io.railyard.core.autoscale.AutoscaleOptions;
import io.railyard.core.autoscale.Budget;
import io.railyard.core.probe.ContainerLimits;
import picocli.CommandLine.Option;

/**
 * The budget flags, shared by every command that runs work ({@code run}, {@code compare},
 * {@code crawl}): add {@code @Mixin BudgetOptions budget;} to the command and hand its harness to
 * {@link #apply(Harness)}. Without any of these flags a run is exactly as before (fixed
 * concurrency, no budget). With budget flags alone the concurrency stays fixed and each trial
 * reports whether it kept the budget; {@code --autoscale} lets the autoscaler choose the
 * concurrency, between 1 and {@code --budget-concurrency}, inside the budget.
 *
 * <p>Unset limits come from the environment ({@code RAILYARD_MEMORY_MBYTES}, then
 * {@code APIFY_MEMORY_MBYTES}), then the container (cgroup v1/v2), then the machine. A bad value
 * is a {@link io.railyard.core.autoscale.BudgetException}: one line, exit code 2.
 */
public final class BudgetOptions {

    @Option(names = "--autoscale", arity = "0..1", paramLabel = "MODE", fallbackValue = "railyard",
            description = "choose the concurrency automatically inside the budget: railyard (the default algorithm)"
                    + " or crawlee (Crawlee's AutoscaledPool with its defaults, the baseline); fixed -c without it")
    String autoscale;

    @Option(names = "--budget-memory", paramLabel = "SIZE",
            description = "most resident memory of the whole process tree: 512m, 1.5g, or a share of the"
                    + " container's memory (0.5, 50%%) (default: RAILYARD_MEMORY_MBYTES, APIFY_MEMORY_MBYTES,"
                    + " the container's limit, else a quarter of the machine's memory)")
    String memory;

    @Option(names = "--budget-cpu", paramLabel = "CORES",
            description = "most CPU the tree may use on average, in cores, such as 1.5 (default: the container's quota, else all cores)")
    String cpu;

    @Option(names = "--budget-concurrency", paramLabel = "N",
            description = "most tasks in flight with --autoscale (default: " + Budget.DEFAULT_MAX_CONCURRENCY + ")")
    Integer concurrency;

    @Option(names = "--budget-tasks-per-minute", paramLabel = "N",
            description = "most tasks started in any minute with --autoscale (default: no limit)")
    Integer tasksPerMinute;

    /** Whether {@code --autoscale} was given. */
    public boolean autoscaled() {
        return autoscale != null;
    }

    /** Whether any budget flag (or {@code --autoscale}) was given. */
    public boolean given() {
        return autoscale != null || memory != null || cpu != null || concurrency != null || tasksPerMinute != null;
    }

    /**
     * The budget from the flags, the environment and the container.
     *
     * @throws UserError one line naming the flag and the fix (the budget's own check, or ours)
     */
    public Budget budget() {
        if (!autoscaled() && (concurrency != null || tasksPerMinute != null))
            throw new UserError((concurrency != null ? "--budget-concurrency" : "--budget-tasks-per-minute")
                    + " applies to --autoscale runs: add --autoscale, or set a fixed concurrency with -c");
        return UserError.whenRejected(() -> Budget.resolve(new Budget.Request(memory, cpu, concurrency, tasksPerMinute),
                ContainerLimits.read(), System.getenv()));
    }

    /** The autoscaler's settings, or null without {@code --autoscale}. */
    public AutoscaleOptions autoscaleOptions() {
        return autoscaled() ? AutoscaleOptions.DEFAULT.withMode(UserError.whenRejected(() -> AutoscaleOptions.Mode.parse(autoscale))) : null;
    }

    /** {@code harness} judging trials against the budget and, with {@code --autoscale}, autoscaling them; unchanged without flags. */
    public Harness apply(Harness harness) {
        return given() ? harness.withBudget(budget(), autoscaleOptions()) : harness;
    }
}
