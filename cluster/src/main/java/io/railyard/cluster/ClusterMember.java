package io.railyard.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.config.Config;
import com.hazelcast.config.ExecutorConfig;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.railyard.core.codec.AllowList;
import io.railyard.core.codec.PayloadCodec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A railyard cluster member: a Hazelcast member whose executor {@value #EXECUTOR} runs railyard
 * tasks with a {@link MemberRuntime} (the member's codec and allow-list). {@link ClusterPool} starts
 * one inside its JVM when given no cluster address; {@code railyard member} starts one in its own
 * process; anything else can start one with {@link #start}.
 *
 * <p>Tuned to start fast and stay small on a laptop: no multicast, no auto-detection (a member only
 * joins the addresses it is given), bound to one interface (loopback unless told otherwise), few
 * service threads, 31 partitions instead of 271 (railyard keeps no data in them), no phone-home,
 * Hazelcast's logging quiet (see {@link Tuning}).
 *
 * <p>Thread-safe; {@link #close()} may be called from any thread but not from a Hazelcast thread.
 */
public final class ClusterMember implements AutoCloseable {

    /** The executor railyard tasks run on, on every member. */
    static final String EXECUTOR = "railyard";
    /** The executor of {@link CancelTask}s: its own thread, so a cancel never waits behind tasks. */
    static final String CONTROL_EXECUTOR = "railyard-control";
    /** Member attribute: the member's executor threads, so pools can balance by capacity. */
    static final String THREADS_ATTRIBUTE = "railyard.threads";

    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** How long {@link #stop} waits for interrupted tasks to end before it leaves the cluster. */
    private static final long TASKS_STOP_NANOS = 1_000_000_000L;

    private final HazelcastInstance instance;
    private final MemberOptions options;
    private final MemberRuntime runtime;

    private ClusterMember(HazelcastInstance instance, MemberOptions options) {
        this.instance = instance;
        this.options = options;
        this.runtime = (MemberRuntime) instance.getUserContext().get(MemberRuntime.KEY);
    }

    /**
     * No open member by accident: a member that binds an address other than loopback (where anyone
     * who can reach it could run its tasks) must have the cluster's secret.
     */
    static void requireSecretOffLoopback(MemberOptions o, ClusterSecret secret) {
        if (secret != null) return;
        InetAddress a;
        try {
            a = InetAddress.getByName(o.host());
        } catch (UnknownHostException e) {
            return; // ipOf names the bad host
        }
        if (!a.isLoopbackAddress())
            throw new IllegalArgumentException("a member on " + o.host() + " (not loopback) can be reached from other machines,"
                    + " and anyone who reaches it could run its tasks: give it the cluster's secret with --secret-file F"
                    + " or " + ClusterSecret.ENV + " (pools need the same), or bind loopback");
    }

    /**
     * Starts a member and returns once it has joined (or formed) its cluster.
     *
     * @throws IllegalArgumentException if an option is wrong (a host that is not this machine's, a bad pattern)
     * @throws IllegalStateException    if the member cannot start, e.g. its port is taken
     */
    public static ClusterMember start(MemberOptions options) {
        return start(options, true);
    }

    private static ClusterMember start(MemberOptions options, boolean joinable) {
        ClusterSecret secret = options.secret().orElse(null);
        requireSecretOffLoopback(options, secret);
        Config config = config(options, joinable, secret);
        HazelcastInstance hz;
        try {
            hz = Hazelcast.newHazelcastInstance(config);
        } catch (RuntimeException e) {
            throw new IllegalStateException("cannot start a cluster member on " + options.host() + ":" + options.port()
                    + (options.portAutoIncrement() ? "+" : "") + ": " + e.getMessage(), e);
        }
        return new ClusterMember(hz, options);
    }

    /**
     * A member for one pool in this JVM: a cluster of its own (a unique name, so nothing joins it by
     * accident), on loopback, any free port.
     */
    static ClusterMember embedded(int threads, List<String> allow, String codec) {
        MemberOptions o = MemberOptions.standalone().withPort(0).withThreads(threads).withAllowDeclared(true)
                .withClusterName("railyard-embedded-" + UUID.randomUUID()).withAllow(allow).withCodec(codec);
        return start(o, false);
    }

    /**
     * The member's Hazelcast configuration. A {@code joinable} member joins and admits others by
     * TCP/IP (every member of a cluster must use the same join method, so even the first one has
     * it on); an embedded one has no join method at all and starts at once as a cluster of one.
     */
    static Config config(MemberOptions o, boolean joinable, ClusterSecret secret) {
        Config c = new Config();
        c.setInstanceName("railyard-member-" + INSTANCES.incrementAndGet());
        c.setClusterName(secret == null ? o.clusterName() : secret.hazelcastClusterName(o.clusterName()));
        Tuning.member(c);

        NetworkConfig net = c.getNetworkConfig();
        net.setPort(o.port()).setPortAutoIncrement(o.portAutoIncrement()).setPortCount(100);
        String ip = ipOf(o.host());
        net.getInterfaces().setEnabled(true).addInterface(ip);
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(joinable).setMembers(new ArrayList<>(o.join())).setConnectionTimeoutSeconds(2);

        c.getMemberAttributeConfig().setAttribute(THREADS_ATTRIBUTE, Integer.toString(o.threads()));
        c.addExecutorConfig(new ExecutorConfig(EXECUTOR).setPoolSize(o.threads()).setQueueCapacity(0).setStatisticsEnabled(false));
        c.addExecutorConfig(new ExecutorConfig(CONTROL_EXECUTOR).setPoolSize(1).setQueueCapacity(0).setStatisticsEnabled(false));
        Wire.configure(c.getSerializationConfig());

        AllowList allow = o.allowDeclared() ? AllowList.withDeclared(o.allow()) : AllowList.of(o.allow());
        MessageAuth auth = secret == null ? MessageAuth.NONE : secret.auth();
        c.getUserContext().put(MemberRuntime.KEY, new MemberRuntime(PayloadCodec.create(o.codec(), allow), auth));
        return c;
    }

    /** The IP address of {@code host}, which must be one of this machine's (a member binds it). */
    private static String ipOf(String host) {
        try {
            InetAddress a = InetAddress.getByName(host);
            return a.getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("host '" + host + "' is unknown: give an address of this machine, e.g. 127.0.0.1");
        }
    }

    public HazelcastInstance instance() {
        return instance;
    }

    public MemberOptions options() {
        return options;
    }

    /** Where this member listens: {@code host:port}. */
    public String address() {
        Member local = instance.getCluster().getLocalMember();
        return local.getAddress().getHost() + ":" + local.getAddress().getPort();
    }

    /** Members in the cluster now, this one included. */
    public int clusterSize() {
        return instance.getCluster().getMembers().size();
    }

    /** Tasks and cancels this member dropped because their authentication code did not verify. */
    public long refusedMessages() {
        return runtime.refused();
    }

    /** Leaves the cluster at once (no graceful hand-over: railyard keeps no data in the cluster). Idempotent. */
    @Override
    public void close() {
        instance.getLifecycleService().terminate();
    }

    /**
     * Stops the member even while tasks run: interrupts them, then leaves the cluster, waiting at
     * most {@code grace} for Hazelcast to stop (a task that ignores interrupts is left behind: the
     * process exits without it). For a member process told to stop (SIGTERM).
     */
    public void stop(java.time.Duration grace) {
        runtime.cancelAll();
        runtime.awaitIdle(Math.min(grace.toNanos(), TASKS_STOP_NANOS)); // an interrupted task ends; one that ignores it is left
        Thread t = new Thread(this::close, "railyard-member-close");
        t.setDaemon(true);
        t.start();
        try {
            t.join(grace);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "cluster member " + (instance.getLifecycleService().isRunning() ? address() : "(stopped)")
                + " of '" + options.clusterName() + "'";
    }
}
