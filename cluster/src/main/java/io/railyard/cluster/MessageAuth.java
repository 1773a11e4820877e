package io.railyard.cluster;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;

/**
 * Authenticates the cluster model's messages with an HMAC-SHA256 under the cluster's
 * {@link ClusterSecret}: a pool signs each {@link RemoteTask} and {@link CancelTask}, a member
 * signs each {@link Reply}, and each side checks what it receives before it decodes anything in it.
 * What is signed, field by field with lengths, so no two messages share an input:
 * <pre>
 *   task    'T' pool:uuid taskId:long worker:int payload:bytes
 *   reply   'R' pool:uuid taskId:long tag:byte startNanos:long runNanos:long cpuNanos:long value|exception:bytes [copy:bytes]
 *   cancel  'C' pool:uuid taskId:long
 * </pre>
 * An answer is thus bound to the task it answers (a valid answer of another task does not pass).
 * A captured message can be replayed: tasks sent to a cluster must be idempotent anyway.
 *
 * <p>{@link #NONE} (no secret: a loopback cluster or the embedded member) signs nothing and accepts
 * everything. Thread-safe: one {@link Mac} per thread.
 */
final class MessageAuth {
    static final String ALGORITHM = "HmacSHA256";
    private static final byte[] EMPTY = new byte[0];
    private static final byte TASK = 'T', REPLY = 'R', CANCEL = 'C';

    /** No secret: nothing signed, nothing checked. */
    static final MessageAuth NONE = new MessageAuth(null);

    private final ThreadLocal<Mac> macs;
    private final LongAdder refused = new LongAdder();

    MessageAuth(byte[] key) {
        if (key == null) {
            macs = null;
            return;
        }
        SecretKeySpec spec = new SecretKeySpec(key, ALGORITHM);
        macs = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance(ALGORITHM);
                m.init(spec);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JDK has no " + ALGORITHM + ": " + e, e);
            }
        });
        macs.get(); // fail now, not on the first message, if the JDK lacks it
    }

    /** Whether messages are signed and checked (a secret was given). */
    boolean enabled() {
        return macs != null;
    }

    /** Messages that failed their check so far. */
    long refused() {
        return refused.sum();
    }

    byte[] task(UUID pool, long taskId, int worker, byte[] payload) {
        if (macs == null) return EMPTY;
        Mac m = start(TASK, pool, taskId);
        m.update(ByteBuffer.allocate(4).putInt(worker).flip());
        bytes(m, payload);
        return m.doFinal();
    }

    boolean taskValid(RemoteTask t) {
        return macs == null || check(t.mac(), task(t.pool(), t.taskId(), t.worker(), t.payload()));
    }

    byte[] cancel(UUID pool, long taskId) {
        if (macs == null) return EMPTY;
        return start(CANCEL, pool, taskId).doFinal();
    }

    boolean cancelValid(CancelTask c) {
        return macs == null || check(c.mac(), cancel(c.pool(), c.taskId()));
    }

    /** {@code r} signed as the answer to task {@code taskId} of {@code pool}. */
    Reply sign(UUID pool, long taskId, Reply r) {
        return macs == null ? r : r.withMac(reply(pool, taskId, r));
    }

    boolean replyValid(UUID pool, long taskId, Reply r) {
        return macs == null || check(r.mac(), reply(pool, taskId, r));
    }

    private byte[] reply(UUID pool, long taskId, Reply r) {
        Mac m = start(REPLY, pool, taskId);
        switch (r) {
            case Reply.Done d -> {
                m.update(Wire.DONE);
                m.update(ByteBuffer.allocate(24).putLong(d.startNanos()).putLong(d.runNanos()).putLong(d.cpuNanos()).flip());
                bytes(m, d.value());
            }
            case Reply.Failed f -> {
                m.update(Wire.FAILED);
                m.update(ByteBuffer.allocate(24).putLong(f.startNanos()).putLong(f.runNanos()).putLong(f.cpuNanos()).flip());
                bytes(m, f.exception());
                bytes(m, f.copy());
            }
        }
        return m.doFinal();
    }

    private Mac start(byte kind, UUID pool, long taskId) {
        Mac m = macs.get();
        m.reset();
        m.update(ByteBuffer.allocate(1 + 16 + 8).put(kind).putLong(pool.getMostSignificantBits())
                .putLong(pool.getLeastSignificantBits()).putLong(taskId).flip());
        return m;
    }

    private static void bytes(Mac m, byte[] b) {
        byte[] v = b == null ? EMPTY : b;
        m.update(ByteBuffer.allocate(4).putInt(v.length).flip());
        m.update(v);
    }

    /** Constant-time comparison; a failure is counted. */
    private boolean check(byte[] given, byte[] expected) {
        if (given != null && MessageDigest.isEqual(given, expected)) return true;
        refused.increment();
        return false;
    }
}
