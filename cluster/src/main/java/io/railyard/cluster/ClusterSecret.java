package io.railyard.cluster;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The shared secret of a railyard cluster: what members and pools must hold to talk to each other.
 * From it come the two gates of the trust model (docs/cluster.md):
 * <ul>
 *   <li>the Hazelcast cluster name: {@code NAME-} and 32 hex digits of an HMAC of the name under the
 *       secret ({@link #hazelcastClusterName}), so that a member or client without the secret cannot
 *       join or connect (Hazelcast's community edition checks nothing else; the name travels in the
 *       clear, so this gate holds against whoever cannot read the network's traffic);</li>
 *   <li>an HMAC-SHA256 of every task, answer and cancel ({@link MessageAuth}), checked before
 *       anything in it is decoded, which holds even against one who can read the traffic and
 *       connect: without the secret, nobody can make a member run a task or a pool accept an answer.</li>
 * </ul>
 * A secret is at least {@value #MIN_BYTES} bytes: the content of a file ({@code --secret-file F},
 * which only its owner may read; a final line break is not part of it) or of the environment
 * variable {@value #ENV}. Make one with {@code head -c 32 /dev/urandom | base64 > F; chmod 600 F}.
 *
 * <p>Immutable and thread-safe; the key is never printed.
 */
public final class ClusterSecret {

    /** The environment variable a member or pool takes its secret from when it is given no file. */
    public static final String ENV = "RAILYARD_CLUSTER_SECRET";
    /** Shorter secrets are refused: 16 bytes of randomness are out of reach of guessing. */
    public static final int MIN_BYTES = 16;
    private static final String HOW = "make one with 'head -c 32 /dev/urandom | base64 > F; chmod 600 F'";

    private final byte[] key;
    private final Path file;

    private ClusterSecret(byte[] key, Path file) {
        this.key = key;
        this.file = file;
    }

    /**
     * A secret of these bytes.
     *
     * @param what names where it came from, for the message when it is too short
     * @throws IllegalArgumentException when it is shorter than {@value #MIN_BYTES} bytes
     */
    public static ClusterSecret of(byte[] key, String what) {
        if (key.length < MIN_BYTES)
            throw new IllegalArgumentException("the cluster secret in " + what + " has " + key.length + " bytes, fewer than "
                    + MIN_BYTES + ": " + HOW);
        return new ClusterSecret(key.clone(), null);
    }

    /**
     * The secret in {@code file}: its bytes without trailing line breaks and spaces. The file must be
     * readable by its owner only (like an ssh key), so a secret is never left readable by others.
     *
     * @throws IllegalArgumentException naming the file and the fix
     */
    public static ClusterSecret fromFile(Path file) {
        byte[] bytes;
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            if (perms.contains(PosixFilePermission.GROUP_READ) || perms.contains(PosixFilePermission.OTHERS_READ))
                throw new IllegalArgumentException("secret file " + file + " is readable by other users: 'chmod 600 " + file + "'");
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("secret file " + file + " does not exist: " + HOW);
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalArgumentException("cannot read secret file " + file + ": " + e.getMessage());
        }
        int end = bytes.length;
        while (end > 0 && (bytes[end - 1] == '\n' || bytes[end - 1] == '\r' || bytes[end - 1] == ' ' || bytes[end - 1] == '\t')) end--;
        ClusterSecret s = of(Arrays.copyOf(bytes, end), "file " + file);
        Arrays.fill(bytes, (byte) 0);
        return new ClusterSecret(s.key, file.toAbsolutePath());
    }

    /**
     * The secret from {@code file} when given, else from the environment variable {@value #ENV}, else none.
     *
     * @throws IllegalArgumentException naming the file or variable and the fix
     */
    public static Optional<ClusterSecret> resolve(String file, Map<String, String> env) {
        if (file != null && !file.isBlank()) return Optional.of(fromFile(Path.of(file.trim())));
        String v = env.get(ENV);
        if (v == null || v.isEmpty()) return Optional.empty();
        return Optional.of(of(v.strip().getBytes(StandardCharsets.UTF_8), "environment variable " + ENV));
    }

    /** The file the secret was read from, or empty when it came from elsewhere. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * The name the members of cluster {@code clusterName} use in Hazelcast: the name and a tag only
     * holders of the secret can compute, so a member or client without it is refused at the door.
     */
    public String hazelcastClusterName(String clusterName) {
        byte[] tag = Arrays.copyOf(mac("railyard cluster name\0" + clusterName), 16);
        return clusterName + "-" + HexFormat.of().formatHex(tag);
    }

    /** The authenticator of the messages of a cluster with this secret. */
    MessageAuth auth() {
        return new MessageAuth(key);
    }

    private byte[] mac(String text) {
        try {
            Mac m = Mac.getInstance(MessageAuth.ALGORITHM);
            m.init(new SecretKeySpec(key, MessageAuth.ALGORITHM));
            return m.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no " + MessageAuth.ALGORITHM + ": " + e, e);
        }
    }

    @Override
    public String toString() {
        return "cluster secret" + (file != null ? " from " + file : "");
    }
}
