package io.railyard.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.IExecutorService;
import io.railyard.cluster.jobs.ClusterJobs;
import io.railyard.cluster.jobs.ClusterJobs.Echo;
import io.railyard.cluster.jobs.ClusterJobs.Work;
import io.railyard.core.PoolSpec;
import io.railyard.core.RemoteException;
import io.railyard.core.codec.AllowList;
import io.railyard.core.codec.JavaSerializationCodec;
import io.railyard.core.codec.NotEncodableException;
import io.railyard.core.codec.PayloadCodec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.Serial;
import java.io.Serializable;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The cluster's trust model against a hostile network (docs/cluster.md): no open member off
 * loopback, a client without the secret refused at the door, a forged task dropped before anything
 * in it is decoded, Hazelcast's own Java deserialization closed to JDK collections, a member
 * process that admits only what it is told to, and one that stops on SIGTERM while a task that
 * ignores interrupts runs.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ClusterSecurityTest {

    @TempDir
    Path dir;

    private Path secretFile(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.writeString(f, content + "\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        return f;
    }

    private static MemberOptions member(String purpose, Path secretFile) {
        return MemberOptions.standalone().withPort(0).withThreads(2).withSecretFile(secretFile == null ? "" : secretFile.toString())
                .withClusterName("railyard-" + purpose + "-" + UUID.randomUUID()).withAllow(List.of(ClusterJobs.ALLOW));
    }

    private static ClusterPoolOptions clientOf(ClusterMember m, ClusterSecret secret) {
        return ClusterPoolOptions.DEFAULT.withCluster(List.of(m.address())).withClusterName(m.options().clusterName())
                .withAllow(List.of(ClusterJobs.ALLOW)).withSecret(secret).withConnectTimeout(Duration.ofMillis(1500));
    }

    @Test
    void aMemberOffLoopbackWithoutASecretRefusesToStartInOneLine() throws Exception {
        StringWriter err = new StringWriter();
        int code = MemberMain.serve(MemberOptions.standalone().withHost("0.0.0.0").withPort(0), new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        assertEquals(2, code);
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().contains("--secret-file") && err.toString().contains(ClusterSecret.ENV), err.toString());
        // with a secret, the same address is allowed past the check (it may still fail to bind elsewhere)
        ClusterSecret s = ClusterSecret.fromFile(secretFile("s", "a-secret-of-enough-bytes-0123456789"));
        assertDoesNotThrow(() -> ClusterMember.requireSecretOffLoopback(MemberOptions.standalone().withHost("0.0.0.0"), s));
    }

    @Test
    void aSecretFileMustBePrivateAndLongEnough() throws Exception {
        Path open = secretFile("open", "a-secret-of-enough-bytes-0123456789");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rw-r--r--"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ClusterSecret.fromFile(open));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClusterSecret.fromFile(secretFile("short", "tiny")));
        assertTrue(e.getMessage().contains("fewer than 16"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ClusterSecret.fromFile(dir.resolve("nowhere")));
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
    }

    @Test
    void aClientWithoutTheSecretOrWithAnotherIsRefusedAndOneWithItRuns() throws Exception {
        Path file = secretFile("s", "the-members-secret-0123456789abcdef");
        ClusterSecret secret = ClusterSecret.fromFile(file);
        ClusterSecret other = ClusterSecret.fromFile(secretFile("o", "another-secret-0123456789abcdef-xyz"));
        try (ClusterMember m = ClusterMember.start(member("secret", file))) {
            for (ClusterSecret wrong : new ClusterSecret[]{null, other}) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> new ClusterPool(PoolSpec.of(1), clientOf(m, wrong)).close());
                assertTrue(e.getMessage().contains("cannot reach") && e.getMessage().contains("secret"), e.getMessage());
            }
            try (ClusterPool pool = new ClusterPool(PoolSpec.of(1), clientOf(m, secret))) {
                assertEquals("signed", pool.submit(new Echo<>("signed")).get(60, TimeUnit.SECONDS));
            }
            assertEquals(0, m.refusedMessages());
        }
    }

    /**
     * One who learned the cluster's Hazelcast name (it travels in the clear) connects and sends a
     * task with a wrong authentication code: the member drops it unread — a task that would create a
     * file does not, a payload that is garbage is not even found corrupt — counts it, and says why.
     */
    @Test
    void aForgedTaskIsDroppedBeforeItIsDecoded() throws Exception {
        Path file = secretFile("s", "the-members-secret-0123456789abcdef");
        ClusterSecret secret = ClusterSecret.fromFile(file);
        ClusterSecret forger = ClusterSecret.fromFile(secretFile("f", "a-forgers-guess-0123456789abcdef-xyz"));
        PayloadCodec codec = new JavaSerializationCodec(AllowList.of(List.of(ClusterJobs.ALLOW)));
        try (ClusterMember m = ClusterMember.start(member("forged", file))) {
            HazelcastInstance raw = rawClient(secret.hazelcastClusterName(m.options().clusterName()), m.address());
            try {
                IExecutorService executor = raw.getExecutorService(ClusterMember.EXECUTOR);
                UUID pool = UUID.randomUUID();
                byte[] work = codec.encode(new Work(dir.toString(), 1, 5, 1));
                MessageAuth wrong = forger.auth();
                for (byte[] payload : List.of(work, "garbage, not a payload".getBytes(StandardCharsets.UTF_8))) {
                    Reply r = executor.submit(new RemoteTask(pool, 1, 0, payload, wrong.task(pool, 1, 0, payload))).get(60, TimeUnit.SECONDS);
                    Reply.Failed f = assertInstanceOf(Reply.Failed.class, r);
                    RemoteException copy = assertInstanceOf(RemoteException.class, codec.decode(f.copy()));
                    assertEquals(SecurityException.class.getName(), copy.remoteClassName());
                    assertTrue(copy.getMessage().contains("authentication"), copy.getMessage());
                    // no MAC at all is no better
                }
                Reply none = executor.submit(new RemoteTask(pool, 2, 0, work, new byte[0])).get(60, TimeUnit.SECONDS);
                assertInstanceOf(Reply.Failed.class, none);
                try (var files = Files.list(dir)) {
                    assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith("started-")), "the forged task never ran");
                }
                assertEquals(3, m.refusedMessages());
                // the same task signed with the secret runs: the check is what stopped it
                MessageAuth right = secret.auth();
                Reply ok = executor.submit(new RemoteTask(pool, 3, 0, work, right.task(pool, 3, 0, work))).get(60, TimeUnit.SECONDS);
                Reply.Done d = assertInstanceOf(Reply.Done.class, ok);
                assertTrue(right.replyValid(pool, 3, d), "the member signs its answer");
                assertFalse(right.replyValid(pool, 4, d), "an answer is bound to its task");
            } finally {
                raw.getLifecycleService().terminate();
            }
        }
    }

    /**
     * Hazelcast's own Java deserialization admits only railyard's wire classes and what error
     * answers carry: a JDK collection smuggled in as a Callable (the nested-HashSet CPU bomb) is
     * refused before it is built, so the member's thread is not burnt and the call fails at once.
     */
    @Test
    void hazelcastRefusesAJdkCollectionSmuggledAsACallable() throws Exception {
        try (ClusterMember m = ClusterMember.start(member("smuggle", null))) {
            HazelcastInstance raw = rawClient(m.options().clusterName(), m.address());
            try {
                Future<String> f = raw.getExecutorService(ClusterMember.EXECUTOR).submit(new Smuggler(Collections.synchronizedSet(bomb(40))));
                try {
                    f.get(30, TimeUnit.SECONDS);
                    fail("the member ran a smuggled collection as a task");
                } catch (ExecutionException e) {
                    String why = String.valueOf(e.getCause());
                    assertTrue(why.contains("SynchronizedSet") || why.contains("Security"), why);
                } catch (TimeoutException stillDecoding) {
                    fail("the member is still building the smuggled collection: Hazelcast's Java deserialization admits it");
                }
            } finally {
                raw.getLifecycleService().terminate();
            }
        }
    }

    @Test
    void aMemberProcessAdmitsOnlyWhatItIsToldToNotTheJarsDeclarations() throws Exception {
        // the cluster jar declares ClusterBenchmark$Echo; the pool (embedded classpath trust) may encode it
        try (ClusterMember m = ClusterMember.start(member("least", null));
             ClusterPool pool = new ClusterPool(PoolSpec.of(1), clientOf(m, null))) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> pool.submit(new ClusterBenchmark.Echo(1)).get(60, TimeUnit.SECONDS));
            assertInstanceOf(NotEncodableException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("ClusterBenchmark$Echo"), e.getCause().getMessage());
            assertEquals("still runs its own", pool.submit(new Echo<>("still runs its own")).get(60, TimeUnit.SECONDS));
        }
    }

    /**
     * A member process told to stop (SIGTERM) cancels its running tasks, then exits: a task that
     * honours interrupts sees one, and one that ignores them does not keep the process.
     */
    @Test
    void sigtermCancelsAMembersTasksThenStopsItEvenIfATaskIgnoresInterrupts() throws Exception {
        try (MemberProcesses processes = new MemberProcesses()) {
            MemberOptions o = MemberProcesses.testMember("sigterm").withThreads(2);
            MemberProcesses.Member member = processes.start(o, null);
            try (ClusterPool pool = new ClusterPool(PoolSpec.of(2), MemberProcesses.clientOf(o, member))) {
                pool.submit(new ClusterJobs.Spin(dir.toString(), "s"));
                pool.submit(new ClusterJobs.Nap(dir.toString(), "n"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (!Files.exists(dir.resolve("spinning-s-" + member.pid())) || !Files.exists(dir.resolve("napping-n-" + member.pid()))) {
                    assertTrue(System.nanoTime() < deadline, "the tasks did not start");
                    Thread.sleep(10);
                }
                member.process().destroy(); // SIGTERM
                assertTrue(member.process().waitFor(30, TimeUnit.SECONDS), "the member ignored SIGTERM while its task spun");
                assertTrue(Files.exists(dir.resolve("interrupted-n")), "the member exited without cancelling its running task");
            }
        }
    }

    @Test
    void everySignedFieldCountsAndOnlyTheSecretSigns() throws Exception {
        MessageAuth a = ClusterSecret.fromFile(secretFile("s", "the-members-secret-0123456789abcdef")).auth();
        MessageAuth b = ClusterSecret.fromFile(secretFile("o", "another-secret-0123456789abcdef-xyz")).auth();
        UUID pool = UUID.randomUUID();
        byte[] payload = {1, 2, 3};
        byte[] mac = a.task(pool, 9, 0, payload);
        assertTrue(a.taskValid(new RemoteTask(pool, 9, 0, payload, mac)));
        assertFalse(a.taskValid(new RemoteTask(pool, 9, 0, new byte[]{1, 2, 4}, mac)), "payload");
        assertFalse(a.taskValid(new RemoteTask(pool, 10, 0, payload, mac)), "task id");
        assertFalse(a.taskValid(new RemoteTask(pool, 9, 1, payload, mac)), "worker");
        assertFalse(a.taskValid(new RemoteTask(UUID.randomUUID(), 9, 0, payload, mac)), "pool");
        assertFalse(b.taskValid(new RemoteTask(pool, 9, 0, payload, mac)), "another secret");
        assertFalse(a.cancelValid(new CancelTask(pool, 9, b.cancel(pool, 9))));
        assertTrue(a.cancelValid(new CancelTask(pool, 9, a.cancel(pool, 9))));
        Reply signed = a.sign(pool, 9, new Reply.Failed(-1, 0, 5, new byte[]{7}, new byte[]{8}));
        assertTrue(a.replyValid(pool, 9, signed));
        assertFalse(a.replyValid(pool, 9, new Reply.Failed(-1, 0, 5, new byte[]{7}, new byte[]{9}, signed.mac())), "copy");
        assertFalse(a.replyValid(pool, 9, new Reply.Done(-1, 0, 5, new byte[]{7}, signed.mac())), "kind");
        assertFalse(a.replyValid(pool, 9, new Reply.Failed(123, 0, 5, new byte[]{7}, new byte[]{8}, signed.mac())), "start stamp");
        assertEquals(9, a.refused() + b.refused());
        assertTrue(MessageAuth.NONE.taskValid(new RemoteTask(pool, 1, 0, payload, new byte[0])), "no secret: nothing checked");
    }

    private static HazelcastInstance rawClient(String hazelcastClusterName, String address) {
        ClientConfig c = new ClientConfig();
        c.setClusterName(hazelcastClusterName);
        Tuning.client(c);
        c.getNetworkConfig().setAddresses(List.of(address));
        c.getConnectionStrategyConfig().getConnectionRetryConfig().setClusterConnectTimeoutMillis(10_000);
        Wire.configure(c.getSerializationConfig());
        return HazelcastClient.newHazelcastClient(c);
    }

    /** The classic nested-HashSet bomb: hashing the top set visits 2^levels sets. */
    static Set<Object> bomb(int levels) {
        Set<Object> root = new HashSet<>();
        Set<Object> s1 = root, s2 = new HashSet<>();
        for (int i = 0; i < levels; i++) {
            Set<Object> t1 = new HashSet<>(), t2 = new HashSet<>();
            t1.add("x"); // t1 and t2 differ
            s1.add(t1);
            s1.add(t2);
            s2.add(t1);
            s2.add(t2);
            s1 = t1;
            s2 = t2;
        }
        return root;
    }

    /** A Callable whose serialized form is whatever it carries: how a client smuggles another object in. */
    static final class Smuggler implements Callable<String>, Serializable {
        @Serial
        private static final long serialVersionUID = 1L;
        private final transient Object carried;

        Smuggler(Object carried) {
            this.carried = carried;
        }

        @Serial
        private Object writeReplace() {
            return carried;
        }

        @Override
        public String call() {
            return "never";
        }
    }
}
