package io.railyard.cluster;

import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;

import java.io.IOException;
import java.util.List;
import java.util.UUID;

/**
 * How the messages of the cluster model, {@link RemoteTask}, {@link Reply}, {@link CancelTask} and {@link ResourcesTask}, cross the wire
 * between a pool and a member: Hazelcast stream serializers that write their fields, so Hazelcast
 * never uses Java serialization for them. The user's task, result and exception are inside as
 * opaque bytes of the pool's {@link io.railyard.core.codec.PayloadCodec}, decoded only by
 * railyard with its allow-list.
 *
 * <pre>
 *   RemoteTask  pool:uuid  taskId:long  worker:int  payload:bytes  mac:bytes
 *   CancelTask  pool:uuid  taskId:long  mac:bytes
 *   ResourcesTask  (no fields; answered by a long[] {cpuNanos, rssBytes}, which Hazelcast writes itself)
 *   Reply       tag:byte  startNanos:long  runNanos:long  cpuNanos:long  then  DONE:   value:bytes  mac:bytes
 *                                                                            FAILED: exception:bytes  copy:bytes  mac:bytes
 * </pre>
 *
 * A uuid is two longs; a mac is the message's HMAC under the cluster's secret ({@link MessageAuth}),
 * empty without one. The same registration is made on members and clients ({@link #configure}); it
 * also restricts Hazelcast's own Java deserialization to {@link #JAVA_SERIALIZATION_CLASSES} and
 * the exceptions of its error answers, so a client cannot make a member build a user class, or a
 * JDK collection, outside the codec.
 *
 * <p>Stateless and thread-safe.
 */
final class Wire {
    private Wire() {}

    /** Hazelcast type ids of the custom serializers (positive, unique within the cluster). */
    static final int TASK_TYPE = 0x5259_0001, REPLY_TYPE = 0x5259_0002, CANCEL_TYPE = 0x5259_0003, RESOURCES_TYPE = 0x5259_0004;

    /** Reply tags (also what {@link MessageAuth} signs). */
    static final byte DONE = 1, FAILED = 2;

    /**
     * The only classes Hazelcast may build with Java serialization on a railyard member or client:
     * the wire messages (which have serializers of their own, so this is a second lock), and what
     * Hazelcast's own error answers carry (exceptions: {@code java.lang}, {@code java.io},
     * {@code java.net}, {@code java.util.concurrent} and Hazelcast's classes; a stack trace; the list
     * classes a Throwable's suppressed list is). Not the JDK's other collections: a nested
     * {@code HashSet} is the classic decoding CPU bomb.
     */
    static final List<String> JAVA_SERIALIZATION_CLASSES = List.of(RemoteTask.class.getName(), Reply.Done.class.getName(),
            Reply.Failed.class.getName(), CancelTask.class.getName(), ResourcesTask.class.getName(),
            "java.util.ArrayList", "java.util.Collections$EmptyList", "java.util.Collections$UnmodifiableRandomAccessList",
            "java.util.Collections$UnmodifiableList");
    static final List<String> JAVA_SERIALIZATION_PACKAGES = List.of("java.lang", "java.io", "java.net", "java.util.concurrent");
    static final List<String> JAVA_SERIALIZATION_PREFIXES = List.of("com.hazelcast.");

    static void configure(SerializationConfig config) {
        config.addSerializerConfig(new SerializerConfig().setTypeClass(RemoteTask.class).setImplementation(new TaskSerializer()));
        config.addSerializerConfig(new SerializerConfig().setTypeClass(Reply.class).setImplementation(new ReplySerializer()));
        config.addSerializerConfig(new SerializerConfig().setTypeClass(CancelTask.class).setImplementation(new CancelSerializer()));
        config.addSerializerConfig(new SerializerConfig().setTypeClass(ResourcesTask.class).setImplementation(new ResourcesSerializer()));
        JavaSerializationFilterConfig filter = new JavaSerializationFilterConfig().setDefaultsDisabled(true);
        filter.getWhitelist().addClasses(JAVA_SERIALIZATION_CLASSES.toArray(String[]::new))
                .addPackages(JAVA_SERIALIZATION_PACKAGES.toArray(String[]::new))
                .addPrefixes(JAVA_SERIALIZATION_PREFIXES.toArray(String[]::new));
        config.setJavaSerializationFilterConfig(filter);
    }

    static final class TaskSerializer implements StreamSerializer<RemoteTask> {
        @Override
        public void write(ObjectDataOutput out, RemoteTask t) throws IOException {
            writeUuid(out, t.pool());
            out.writeLong(t.taskId());
            out.writeInt(t.worker());
            out.writeByteArray(t.payload());
            out.writeByteArray(t.mac());
        }

        @Override
        public RemoteTask read(ObjectDataInput in) throws IOException {
            return new RemoteTask(readUuid(in), in.readLong(), in.readInt(), bytes(in), bytes(in));
        }

        @Override
        public int getTypeId() {
            return TASK_TYPE;
        }
    }

    static final class CancelSerializer implements StreamSerializer<CancelTask> {
        @Override
        public void write(ObjectDataOutput out, CancelTask c) throws IOException {
            writeUuid(out, c.pool());
            out.writeLong(c.taskId());
            out.writeByteArray(c.mac());
        }

        @Override
        public CancelTask read(ObjectDataInput in) throws IOException {
            return new CancelTask(readUuid(in), in.readLong(), bytes(in));
        }

        @Override
        public int getTypeId() {
            return CANCEL_TYPE;
        }
    }

    static final class ResourcesSerializer implements StreamSerializer<ResourcesTask> {
        @Override
        public void write(ObjectDataOutput out, ResourcesTask r) {
            // no fields: the type id says it all
        }

        @Override
        public ResourcesTask read(ObjectDataInput in) {
            return new ResourcesTask();
        }

        @Override
        public int getTypeId() {
            return RESOURCES_TYPE;
        }
    }

    private static byte[] bytes(ObjectDataInput in) throws IOException {
        byte[] b = in.readByteArray();
        return b == null ? new byte[0] : b;
    }

    private static void writeUuid(ObjectDataOutput out, UUID id) throws IOException {
        out.writeLong(id.getMostSignificantBits());
        out.writeLong(id.getLeastSignificantBits());
    }

    private static UUID readUuid(ObjectDataInput in) throws IOException {
        return new UUID(in.readLong(), in.readLong());
    }

    static final class ReplySerializer implements StreamSerializer<Reply> {
        @Override
        public void write(ObjectDataOutput out, Reply r) throws IOException {
            switch (r) {
                case Reply.Done d -> {
                    out.writeByte(DONE);
                    out.writeLong(d.startNanos());
                    out.writeLong(d.runNanos());
                    out.writeLong(d.cpuNanos());
                    out.writeByteArray(d.value());
                    out.writeByteArray(d.mac());
                }
                case Reply.Failed f -> {
                    out.writeByte(FAILED);
                    out.writeLong(f.startNanos());
                    out.writeLong(f.runNanos());
                    out.writeLong(f.cpuNanos());
                    out.writeByteArray(f.exception());
                    out.writeByteArray(f.copy());
                    out.writeByteArray(f.mac());
                }
            }
        }

        @Override
        public Reply read(ObjectDataInput in) throws IOException {
            byte tag = in.readByte();
            long start = in.readLong(), run = in.readLong(), cpu = in.readLong();
            return switch (tag) {
                case DONE -> new Reply.Done(start, run, cpu, bytes(in), bytes(in));
                case FAILED -> new Reply.Failed(start, run, cpu, bytes(in), bytes(in), bytes(in));
                default -> throw new IOException("unknown reply tag " + tag + ": the peer speaks another railyard version");
            };
        }

        @Override
        public int getTypeId() {
            return REPLY_TYPE;
        }
    }
}
