package io.railyard.cluster;

import io.railyard.core.codec.AllowList;
import io.railyard.core.codec.JavaSerializationCodec;

import java.util.List;

/**
 * How to start a cluster member ({@link ClusterMember#start}). Immutable; validated when built.
 *
 * @param host          the interface the member binds and announces: loopback unless told otherwise
 * @param port          the port to listen on; with {@code portAutoIncrement} the first one tried
 * @param portAutoIncrement try the next ports (up to 100) when {@code port} is taken
 * @param join          addresses of members to join ({@code host:port}); empty: start a new cluster
 * @param threads       executor threads: how many railyard tasks this member runs at once
 * @param clusterName   members and clients of one cluster share it; others are refused
 * @param allow         allow-list patterns added to the defaults: the classes this member may decode
 * @param codec         the {@link io.railyard.core.codec.PayloadCodec} class; pools must use the same
 * @param secretFile    a file holding the cluster's shared secret, or empty (see {@link ClusterSecret}
 *                      and docs/cluster.md); a secret is required to bind an address other than loopback
 * @param secretFromEnvironment without a {@code secretFile}, take the secret from {@value ClusterSecret#ENV}.
 *                      The secret itself is never a setting: settings travel on a child's command line
 * @param allowDeclared also admit what the classpath's jars declare in
 *                      {@value io.railyard.core.codec.AllowList#RESOURCE}: only for a member inside a
 *                      pool's own JVM, which runs that classpath anyway; a member process admits
 *                      only its {@code allow} (least privilege: railyard's own fetch, io and
 *                      connections tasks reach the member's network, so they come only when asked for)
 */
public record MemberOptions(String host, int port, boolean portAutoIncrement, List<String> join, int threads,
                            String clusterName, List<String> allow, String codec, String secretFile, boolean secretFromEnvironment,
                            boolean allowDeclared) {

    /** The name of the cluster {@code railyard member} starts and {@code --cluster} joins. */
    public static final String DEFAULT_CLUSTER_NAME = "railyard";
    public static final String LOOPBACK = "127.0.0.1";

    public MemberOptions {
        if (host == null || host.isBlank()) throw new IllegalArgumentException("host must be an interface address, e.g. 127.0.0.1");
        if (port < 0 || port > 65535) throw new IllegalArgumentException("port must be between 1 and 65535 (0: any free port), was " + port);
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, was " + threads);
        if (clusterName == null || clusterName.isBlank()) throw new IllegalArgumentException("the cluster name must not be empty");
        join = List.copyOf(join);
        allow = List.copyOf(allow);
        AllowList.of(allow); // validates the patterns
        if (codec == null || codec.isBlank()) throw new IllegalArgumentException("codec must name a PayloadCodec class");
        if (secretFile == null) throw new IllegalArgumentException("secretFile must be a path or empty");
        secret(secretFile, secretFromEnvironment); // a missing, open or short secret is refused here
    }

    /** The member's secret, read from its file or the environment, or empty. */
    public java.util.Optional<ClusterSecret> secret() {
        return secret(secretFile, secretFromEnvironment);
    }

    private static java.util.Optional<ClusterSecret> secret(String file, boolean fromEnvironment) {
        if (!file.isBlank()) return java.util.Optional.of(ClusterSecret.fromFile(java.nio.file.Path.of(file)));
        if (!fromEnvironment) return java.util.Optional.empty();
        java.util.Optional<ClusterSecret> s = ClusterSecret.resolve(null, System.getenv());
        if (s.isEmpty()) throw new IllegalArgumentException("the member's secret is to come from " + ClusterSecret.ENV + ", which is not set");
        return s;
    }

    /**
     * A member of cluster {@value #DEFAULT_CLUSTER_NAME} on loopback, port 5701 or the next free one,
     * one thread per core, no secret, admitting only the default classes.
     */
    public static MemberOptions standalone() {
        return new MemberOptions(LOOPBACK, Addresses.DEFAULT_PORT, true, List.of(), Runtime.getRuntime().availableProcessors(),
                DEFAULT_CLUSTER_NAME, List.of(), JavaSerializationCodec.class.getName(), "", false, false);
    }

    /**
     * Parses {@code host:port[,host:port...]} (port 5701 when left out).
     *
     * @param what names the input in the error, e.g. {@code --join}
     * @throws IllegalArgumentException naming the input, the bad address and the expected form
     */
    public static List<String> addresses(String what, String value) {
        return Addresses.parse(what, value);
    }

    public MemberOptions withPort(int port) {
        return new MemberOptions(host, port, false, join, threads, clusterName, allow, codec, secretFile, secretFromEnvironment, allowDeclared);
    }

    public MemberOptions withHost(String host) {
        return new MemberOptions(host, port, portAutoIncrement, join, threads, clusterName, allow, codec, secretFile, secretFromEnvironment, allowDeclared);
    }

    /** Joins the members at {@code addresses} ({@code host:port,...}). */
    public MemberOptions withJoin(List<String> addresses) {
        return new MemberOptions(host, port, portAutoIncrement, addresses, threads, clusterName, allow, codec, secretFile, secretFromEnvironment, allowDeclared);
    }

    public MemberOptions withThreads(int threads) {
        return new MemberOptions(host, port, portAutoIncrement, join, threads, clusterName, allow, codec, secretFile, secretFromEnvironment, allowDeclared);
    }

    public MemberOptions withClusterName(String clusterName) {
        return new MemberOptions(host, port, portAutoIncrement, join, threads, clusterName, allow, codec, secretFile, secretFromEnvironment, allowDeclared);
    }

    public MemberOptions withAllow(List<String> patterns) {
        return new MemberOptions(host, port, portAutoIncrement, join, threads, clusterName, patterns, codec, secretFile, secretFromEnvironment, allowDeclared);
    }

    /** The secret in {@code file} (see {@link ClusterSecret}); empty: none. */
    public MemberOptions withSecretFile(String file) {
        return new MemberOptions(host, port, portAutoIncrement, join, threads, clusterName, allow, codec, file, secretFromEnvironment, allowDeclared);
    }

    /** Without a secret file, whether the secret comes from {@value ClusterSecret#ENV}. */
    public MemberOptions withSecretFromEnvironment(boolean fromEnvironment) {
        return new MemberOptions(host, port, portAutoIncrement, join, threads, clusterName, allow, codec, secretFile, fromEnvironment, allowDeclared);
    }

    /** Whether the member also admits the classes the classpath's jars declare (see {@link #allowDeclared()}). */
    public MemberOptions withAllowDeclared(boolean allowDeclared) {
        return new MemberOptions(host, port, portAutoIncrement, join, threads, clusterName, allow, codec, secretFile, secretFromEnvironment, allowDeclared);
    }

    public MemberOptions withCodec(String codecClass) {
        return new MemberOptions(host, port, portAutoIncrement, join, threads, clusterName, allow, codecClass, secretFile, secretFromEnvironment, allowDeclared);
    }
}
