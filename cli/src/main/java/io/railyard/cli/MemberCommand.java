package io.railyard.cli;

import io.railyard.cluster.MemberMain;
import io.railyard.cluster.MemberOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code railyard member}: one member of a railyard cluster (the {@code cluster} model's workers) in
 * the foreground until Ctrl-C. Pools reach members with {@code run --cluster host:port,...}.
 */
@Command(name = "member", mixinStandardHelpOptions = true,
        description = {"Run a cluster member (Hazelcast) for 'run ... --cluster HOST:PORT', until Ctrl-C.",
                "It listens on loopback unless told otherwise. Start the first member alone, the others with --join its"
                        + " address. For your own task classes, put them on the member's classpath:",
                "  RAILYARD_CLASSPATH=my.jar ./railyard member --allow 'my.pkg.*'"})
public final class MemberCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--join", paramLabel = "HOST:PORT[,...]", split = ",", description = "members of the cluster to join (default: start a new cluster)")
    List<String> join = List.of();

    @Option(names = "--port", paramLabel = "P", description = "port to listen on (default: 5701, or the next free one)")
    Integer port;

    @Option(names = "--host", paramLabel = "ADDR", defaultValue = MemberOptions.LOOPBACK,
            description = "address to listen on; another machine's pools need a non-loopback one (default: ${DEFAULT-VALUE})")
    String host;

    @Option(names = "--threads", paramLabel = "T", description = "tasks run at once (default: the number of cores)")
    Integer threads;

    @Option(names = "--allow", paramLabel = "PATTERN[,...]", split = ",",
            description = "task and result classes to accept beyond the defaults (java.lang, java.util...): com.acme.Task,"
                    + " com.acme.*, com.acme.**; railyard's own workloads: io.railyard.bench.workload.*")
    List<String> allow = List.of();

    @Option(names = "--cluster-name", paramLabel = "NAME", defaultValue = MemberOptions.DEFAULT_CLUSTER_NAME,
            description = "members and pools of one cluster share it (default: ${DEFAULT-VALUE})")
    String clusterName;

    @Option(names = "--secret-file", paramLabel = "FILE",
            description = "the cluster's shared secret (readable by its owner only); pools give the same with"
                    + " --model-option secretFile=FILE. Default: " + io.railyard.cluster.ClusterSecret.ENV + " if set."
                    + " Required off loopback: without it anyone who reaches the member could run its tasks")
    String secretFile;

    @Override
    public Integer call() {
        MemberOptions options = UserError.whenRejected(() -> {
            MemberOptions o = MemberOptions.standalone().withHost(host).withClusterName(clusterName).withAllow(allow);
            if (port != null) o = o.withPort(port);
            if (threads != null) o = o.withThreads(threads);
            if (!join.isEmpty()) o = o.withJoin(MemberOptions.addresses("--join", String.join(",", join)));
            return MemberMain.withSecret(o, secretFile);
        });
        return MemberMain.serve(options, spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
