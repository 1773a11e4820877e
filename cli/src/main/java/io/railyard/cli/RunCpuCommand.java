package io.railyard.cli;

import io.railyard.bench.workload.CpuWorkload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code railyard run cpu}: fib(K) computed M times, the seed's CPU-bound problem. */
@Command(name = "cpu", mixinStandardHelpOptions = true,
        description = {"CPU-bound work: recursive fib(K) computed M times, one task each.",
                "limit_s = M x t(fib K) / min(cores, C), t the CPU time of fib(K) on one thread."})
public final class RunCpuCommand implements Callable<Integer> {

    @Mixin
    RunOptions options;

    @Spec
    CommandSpec spec;

    @Option(names = "-k", paramLabel = "K", defaultValue = "30", description = "fib argument (default: ${DEFAULT-VALUE})")
    int k;

    @Option(names = "-m", paramLabel = "M", defaultValue = "40", description = "how many fib(K) to compute (default: ${DEFAULT-VALUE})")
    int m;

    @Override
    public Integer call() throws Exception {
        options.validate();
        Validate.positive("-k", k);
        Validate.positive("-m", m);
        if (k > 50) throw new UserError("-k must be at most 50 (fib(50) takes minutes per task), was " + k);
        try (CpuWorkload work = UserError.whenRejected(() -> new CpuWorkload(k, m))) {
            return RunOutput.runAndReport(spec, work, options);
        }
    }
}
