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

    private final HazelcastInstance instance;
    private final MemberOptions options;

    private ClusterMember(HazelcastInstance instance, MemberOptions options) {
        this.instance = instance;
        this.options = options;
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
        Config config = config(options, joinable);
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
        MemberOptions o = MemberOptions.standalone().withPort(0).withThreads(threads)
                .withClusterName("railyard-embedded-" + UUID.randomUUID()).withAllow(allow).withCodec(codec);
        return start(o, false);
    }

    /**
     * The member's Hazelcast configuration. A {@code joinable} member joins and admits others by
     * TCP/IP (every member of a cluster must use the same join method, so even the first one has
     * it on); an embedded one has no join method at all and starts at once as a cluster of one.
     */
    static Config config(MemberOptions o, boolean joinable) {
        Config c = new Config();
        c.setInstanceName("railyard-member-" + INSTANCES.incrementAndGet());
        c.setClusterName(o.clusterName());
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

        c.getUserContext().put(MemberRuntime.KEY, new MemberRuntime(PayloadCodec.create(o.codec(), AllowList.withDeclared(o.allow()))));
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

    /** Leaves the cluster at once (no graceful hand-over: railyard keeps no data in the cluster). Idempotent. */
    @Override
    public void close() {
        instance.getLifecycleService().terminate();
    }

    @Override
    public String toString() {
        return "cluster member " + (instance.getLifecycleService().isRunning() ? address() : "(stopped)")
                + " of '" + options.clusterName() + "'";
    }
}
