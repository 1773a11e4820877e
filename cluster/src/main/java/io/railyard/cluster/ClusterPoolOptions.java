package io.railyard.cluster;

import io.railyard.core.codec.AllowList;
import io.railyard.core.codec.JavaSerializationCodec;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a {@link ClusterPool} needs beyond a {@link io.railyard.core.PoolSpec}: from strings (the
 * spec's options, e.g. {@code --cluster} or {@code --model-option} on the command line) with
 * {@link #fromOptions}, or built in code with the {@code with...} methods. Immutable.
 *
 * <table>
 *   <caption>Pool options</caption>
 *   <tr><th>option</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code cluster}</td><td>{@code host:port,...} of members of a running cluster
 *       ({@code railyard member}); the pool connects as a client. Empty: the pool starts one member
 *       inside this JVM</td><td>empty</td></tr>
 *   <tr><td>{@code clusterName}</td><td>the name of that cluster</td><td>{@value MemberOptions#DEFAULT_CLUSTER_NAME}</td></tr>
 *   <tr><td>{@code allow}</td><td>classes or packages the codec may decode, added to the defaults and
 *       the classpath's declarations, as for {@code processes}; a remote member decides with its own
 *       list ({@code railyard member --allow})</td><td>none</td></tr>
 *   <tr><td>{@code codec}</td><td>the {@link io.railyard.core.codec.PayloadCodec} class; members
 *       must use the same</td><td>{@link JavaSerializationCodec}</td></tr>
 *   <tr><td>{@code connectTimeoutMs}</td><td>how long to try to reach the cluster before failing</td><td>5000</td></tr>
 *   <tr><td>{@code maxAttempts}</td><td>runs of a task whose member leaves the cluster before it
 *       answers, the first included (at-least-once: see {@link ClusterPool})</td><td>3</td></tr>
 *   <tr><td>{@code memberThreads}</td><td>executor threads of the embedded member</td><td>the pool's concurrency</td></tr>
 *   <tr><td>{@code secretFile}</td><td>a file holding the cluster's shared secret (see {@link ClusterSecret}):
 *       the pool signs its tasks with it and accepts only answers signed with it</td><td>for a client:
 *       {@value ClusterSecret#ENV} if set, else none</td></tr>
 * </table>
 *
 * Other option names are ignored (a spec may carry options for other models).
 */
public record ClusterPoolOptions(List<String> cluster, String clusterName, List<String> allow, String codec,
                                 Duration connectTimeout, int maxAttempts, int memberThreads, ClusterSecret secret) {

    public static final ClusterPoolOptions DEFAULT = new ClusterPoolOptions(List.of(), MemberOptions.DEFAULT_CLUSTER_NAME,
            List.of(), JavaSerializationCodec.class.getName(), Duration.ofSeconds(5), 3, 0, null);

    /** The option names of the table above. */
    public static final List<String> KEYS = List.of("cluster", "clusterName", "allow", "codec", "connectTimeoutMs", "maxAttempts",
            "memberThreads", "secretFile");

    public ClusterPoolOptions {
        cluster = List.copyOf(cluster);
        allow = List.copyOf(allow);
        AllowList.of(allow); // validates the patterns
        if (clusterName == null || clusterName.isBlank()) throw new IllegalArgumentException("clusterName must not be empty");
        if (codec == null || codec.isBlank()) throw new IllegalArgumentException("codec must name a PayloadCodec class");
        if (connectTimeout == null || connectTimeout.isNegative() || connectTimeout.isZero())
            throw new IllegalArgumentException("connectTimeoutMs must be positive, was " + connectTimeout);
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
        if (memberThreads < 0) throw new IllegalArgumentException("memberThreads must be >= 1 (0: the concurrency), was " + memberThreads);
    }

    /**
     * Reads the options of the table above from strings.
     *
     * @throws IllegalArgumentException naming the option, its value and the fix
     */
    public static ClusterPoolOptions fromOptions(Map<String, String> options) {
        ClusterPoolOptions o = DEFAULT;
        String v;
        if ((v = options.get("cluster")) != null && !v.isBlank()) o = o.withCluster(Addresses.parse("cluster address", v));
        if ((v = options.get("clusterName")) != null) o = o.withClusterName(v.trim());
        if ((v = options.get("allow")) != null)
            o = o.withAllow(Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        if ((v = options.get("codec")) != null) o = o.withCodec(v.trim());
        if ((v = options.get("connectTimeoutMs")) != null) o = o.withConnectTimeout(Duration.ofMillis(integer("connectTimeoutMs", v)));
        if ((v = options.get("maxAttempts")) != null) o = o.withMaxAttempts(integer("maxAttempts", v));
        if ((v = options.get("memberThreads")) != null) o = o.withMemberThreads(integer("memberThreads", v));
        v = options.get("secretFile");
        if (v != null || !o.embedded()) o = o.withSecret(ClusterSecret.resolve(v, System.getenv()).orElse(null));
        return o;
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + name + "=" + value + " is not a whole number: give e.g. " + name + "=3");
        }
    }

    /** True when the pool starts its own member rather than connecting to a cluster. */
    public boolean embedded() {
        return cluster.isEmpty();
    }

    public ClusterPoolOptions withCluster(List<String> addresses) {
        return new ClusterPoolOptions(addresses, clusterName, allow, codec, connectTimeout, maxAttempts, memberThreads, secret);
    }

    public ClusterPoolOptions withClusterName(String name) {
        return new ClusterPoolOptions(cluster, name, allow, codec, connectTimeout, maxAttempts, memberThreads, secret);
    }

    public ClusterPoolOptions withAllow(List<String> patterns) {
        return new ClusterPoolOptions(cluster, clusterName, patterns, codec, connectTimeout, maxAttempts, memberThreads, secret);
    }

    public ClusterPoolOptions withCodec(String codecClass) {
        return new ClusterPoolOptions(cluster, clusterName, allow, codecClass, connectTimeout, maxAttempts, memberThreads, secret);
    }

    public ClusterPoolOptions withConnectTimeout(Duration timeout) {
        return new ClusterPoolOptions(cluster, clusterName, allow, codec, timeout, maxAttempts, memberThreads, secret);
    }

    public ClusterPoolOptions withMaxAttempts(int attempts) {
        return new ClusterPoolOptions(cluster, clusterName, allow, codec, connectTimeout, attempts, memberThreads, secret);
    }

    /** The cluster's shared secret (see {@link ClusterSecret}), or null for none. */
    public ClusterPoolOptions withSecret(ClusterSecret secret) {
        return new ClusterPoolOptions(cluster, clusterName, allow, codec, connectTimeout, maxAttempts, memberThreads, secret);
    }

    public ClusterPoolOptions withMemberThreads(int threads) {
        return new ClusterPoolOptions(cluster, clusterName, allow, codec, connectTimeout, maxAttempts, threads, secret);
    }
}
