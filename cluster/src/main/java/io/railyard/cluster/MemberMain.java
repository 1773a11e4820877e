package io.railyard.cluster;

import io.railyard.core.codec.RecordArgument;
import io.railyard.core.probe.Liveness;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Serving a cluster member in the foreground of a process: {@link #serve} is what
 * {@code railyard member} runs (the one front end for people, with its help), and {@link #main}
 * runs it in a member process that railyard starts itself (tests, benchmarks): that process gets
 * its settings as one argument ({@link #argument}, a {@link RecordArgument} of {@link MemberOptions}
 * and the pid of the process whose end stops it), a wire form between the two processes, not a
 * command line. For a member that runs your own task classes, put them on the classpath of
 * {@code railyard member}: {@code RAILYARD_CLASSPATH=app.jar ./railyard member --allow com.acme.*}.
 *
 * <p>Prints one line when the member is ready ({@value #READY} address, cluster, size, threads), one per
 * member that joins or leaves the cluster, and serves until it is killed; SIGTERM interrupts its
 * running tasks and makes it leave the cluster (within {@link #STOP_GRACE}, even if a task ignores
 * the interrupt). A member's secret ({@code --secret-file}, or {@value ClusterSecret#ENV}) is
 * required off loopback. Exit status 2 with one line on stderr when it cannot start: settings not in that form, a
 * port that is taken, a cluster it cannot join.
 */
public final class MemberMain {
    private MemberMain() {}

    /** The first word of the line a member prints when it serves. */
    public static final String READY = "railyard member ready:";
    /** How long a stopping member waits for Hazelcast to stop after interrupting its tasks. */
    static final java.time.Duration STOP_GRACE = java.time.Duration.ofSeconds(5);

    public static void main(String[] args) {
        MemberOptions options;
        long parentPid;
        try {
            if (args.length != 1) throw new IllegalArgumentException("expected one argument, got " + args.length);
            Map<String, String> values = RecordArgument.parse(args[0]);
            options = RecordArgument.decode(MemberOptions.class, values);
            parentPid = Long.parseLong(values.getOrDefault("parentPid", "-1"));
        } catch (IllegalArgumentException e) {
            System.err.println("railyard member: " + e.getMessage() + " (this is the process railyard starts for a member;"
                    + " to run one, use 'railyard member')");
            System.exit(2);
            return;
        }
        if (parentPid > 0) Liveness.whenGone(parentPid, "railyard-parent-watch", () -> Runtime.getRuntime().halt(1));
        System.exit(serve(options, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * {@code options} with the secret of {@code secretFile}, or of {@value ClusterSecret#ENV} when no
     * file is given (unchanged when neither is).
     *
     * @throws IllegalArgumentException naming the file or variable and the fix
     */
    public static MemberOptions withSecret(MemberOptions options, String secretFile) {
        if (secretFile != null && !secretFile.isBlank()) return options.withSecretFile(secretFile.trim());
        return ClusterSecret.resolve(null, System.getenv()).isPresent() ? options.withSecretFromEnvironment(true) : options;
    }

    /**
     * The one argument of a member process started with {@code java -cp ... MemberMain}: its options,
     * and the pid of the process whose end stops it (-1: none).
     */
    public static String argument(MemberOptions options, long parentPid) {
        return RecordArgument.encode(options, Map.of("parentPid", Long.toString(parentPid)));
    }

    /**
     * Starts a member and serves until the process is stopped. Returns 2 (after one line on
     * {@code err}) if it cannot start or cannot join the members it was given.
     */
    public static int serve(MemberOptions options, PrintWriter out, PrintWriter err) {
        ClusterMember member;
        try {
            member = start(options);
        } catch (IllegalArgumentException | IllegalStateException e) {
            err.println("railyard member: " + oneLine(e.getMessage()));
            err.flush();
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            member.stop(STOP_GRACE); // running tasks are interrupted; one that ignores it does not keep the process
            stopped.countDown();
        }, "railyard-member-stop"));
        out.println(READY + " " + member.address() + " in cluster '" + options.clusterName() + "' (" + member.clusterSize()
                + " member" + (member.clusterSize() == 1 ? "" : "s") + "), " + options.threads() + " thread"
                + (options.threads() == 1 ? "" : "s") + (options.secret().isPresent() ? ", tasks authenticated by the cluster secret"
                : ", no secret (loopback only)") + "; stop it with Ctrl-C");
        out.flush();
        member.instance().getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                out.println("railyard member " + member.address() + ": " + e.getMember().getAddress() + " joined (" + e.getMembers().size() + " members)");
                out.flush();
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                out.println("railyard member " + member.address() + ": " + e.getMember().getAddress() + " left (" + e.getMembers().size() + " members)");
                out.flush();
            }
        });
        reportRefusals(member, out);
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** Says, at most every 2 s, how many messages the member dropped for failing authentication, when that grew. */
    private static void reportRefusals(ClusterMember member, PrintWriter out) {
        Thread t = new Thread(() -> {
            long said = 0;
            while (true) {
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException e) {
                    return;
                }
                long n = member.refusedMessages();
                if (n > said) {
                    out.println("railyard member " + member.address() + ": dropped " + (n - said) + " message" + (n - said == 1 ? "" : "s")
                            + " that failed authentication (" + n + " in all): a client without the cluster's secret, or forged");
                    out.flush();
                    said = n;
                }
            }
        }, "railyard-member-refusals");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Starts the member; when it was told to join others and ends up alone, it failed to join: it
     * stops and says so rather than serving as a cluster of its own that no client expects.
     */
    public static ClusterMember start(MemberOptions options) {
        ClusterMember member = ClusterMember.start(options);
        if (!options.join().isEmpty() && member.clusterSize() == 1) {
            member.close();
            throw new IllegalArgumentException("could not join cluster '" + options.clusterName() + "' at " + String.join(",", options.join())
                    + ": start the first member without --join, or fix the address (and --cluster-name)");
        }
        return member;
    }

    private static String oneLine(String message) {
        if (message == null) return "failed";
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }
}
