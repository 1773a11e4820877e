package io.railyard.cluster;

import io.railyard.core.probe.Liveness;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * A cluster member in its own process: {@code java -cp <classpath> io.railyard.cluster.MemberMain
 * [--host H] [--port P] [--join host:port,...] [--threads N] [--allow PATTERNS] [--cluster-name NAME]
 * [--secret-file F]}. Without {@code --secret-file} the secret comes from {@value ClusterSecret#ENV}, if set;
 * a member off loopback refuses to start without one.
 * {@code railyard member} is the same with the command line's help; tests and benchmarks start this
 * class directly, with {@code --parent-pid PID} so that a member never outlives the JVM that started it.
 *
 * <p>Prints one line when the member is ready ({@value #READY} address, cluster, size, threads), one per
 * member that joins or leaves the cluster, and
 * serves until it is killed; SIGTERM interrupts its running tasks and makes it leave the cluster
 * (within {@link #STOP_GRACE}, even if a task ignores the interrupt). Exit status 2 with one line on
 * stderr for bad input: an option it does not know, a port that is taken, a cluster it cannot join.
 */
public final class MemberMain {
    private MemberMain() {}

    /** The first word of the line a member prints when it serves. */
    public static final String READY = "railyard member ready:";
    /** How long a stopping member waits for Hazelcast to stop after interrupting its tasks. */
    static final java.time.Duration STOP_GRACE = java.time.Duration.ofSeconds(5);

    public static void main(String[] args) {
        MemberOptions options;
        long parentPid = -1;
        String secretFile = null;
        try {
            options = MemberOptions.standalone();
            for (int i = 0; i < args.length; i++) {
                String name = args[i];
                if (i + 1 >= args.length) throw new IllegalArgumentException("option " + name + " needs a value");
                String v = args[++i];
                options = switch (name) {
                    case "--host" -> options.withHost(v);
                    case "--port" -> options.withPort(number(name, v));
                    case "--join" -> options.withJoin(Addresses.parse("--join", v));
                    case "--threads" -> options.withThreads(number(name, v));
                    case "--allow" -> options.withAllow(Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
                    case "--cluster-name" -> options.withClusterName(v);
                    case "--parent-pid" -> {
                        parentPid = number(name, v);
                        yield options;
                    }
                    case "--secret-file" -> {
                        secretFile = v;
                        yield options;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + name
                            + ": use --host, --port, --join, --threads, --allow, --cluster-name, --secret-file");
                };
            }
            options = withSecret(options, secretFile);
        } catch (IllegalArgumentException e) {
            System.err.println("railyard member: " + e.getMessage());
            System.exit(2);
            return;
        }
        if (parentPid > 0) watchParent(parentPid);
        System.exit(serve(options, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * {@code options} with the secret of {@code secretFile}, or of {@value ClusterSecret#ENV} when no
     * file is given (unchanged when neither is).
     *
     * @throws IllegalArgumentException naming the file or variable and the fix
     */
    public static MemberOptions withSecret(MemberOptions options, String secretFile) {
        return ClusterSecret.resolve(secretFile, System.getenv()).map(options::withSecret).orElse(options);
    }

    private static int number(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " " + value + " is not a whole number");
        }
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
                + (options.threads() == 1 ? "" : "s") + (options.secret() != null ? ", tasks authenticated by the cluster secret"
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

    /** Halts this process when the process that started it is gone (a test JVM killed mid-run). */
    private static void watchParent(long pid) {
        Optional<ProcessHandle> parent = ProcessHandle.of(pid);
        Thread t = new Thread(() -> {
            while (parent.isPresent() && Liveness.running(parent.get())) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
            Runtime.getRuntime().halt(1);
        }, "railyard-parent-watch");
        t.setDaemon(true);
        t.start();
    }

    static List<String> args(MemberOptions o) {
        List<String> a = new ArrayList<>(List.of("--host", o.host(), "--port", Integer.toString(o.port()),
                "--threads", Integer.toString(o.threads()), "--cluster-name", o.clusterName()));
        if (!o.join().isEmpty()) a.addAll(List.of("--join", String.join(",", o.join())));
        if (!o.allow().isEmpty()) a.addAll(List.of("--allow", String.join(",", o.allow())));
        if (o.secret() != null && o.secret().file().isPresent()) a.addAll(List.of("--secret-file", o.secret().file().get().toString()));
        return a;
    }
}
