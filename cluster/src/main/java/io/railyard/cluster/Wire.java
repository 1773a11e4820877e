package io.railyard.cluster;

import com.hazelcast.config.JavaSerializationFilterConfig;
import com.hazelcast.config.SerializationConfig;
import com.hazelcast.config.SerializerConfig;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.StreamSerializer;

import java.io.IOException;
import java.util.UUID;

/**
 * How the messages of the cluster model, {@link RemoteTask}, {@link Reply}, {@link CancelTask} and {@link ResourcesTask}, cross the wire
 * between a pool and a member: Hazelcast stream serializers that write their fields, so Hazelcast
 * never uses Java serialization for them. The user's task, result and exception are inside as
 * opaque bytes of the pool's {@link io.railyard.core.codec.PayloadCodec}, decoded only by
 * railyard with its allow-list.
 *
 * <pre>
 *   RemoteTask  pool:uuid  taskId:long  worker:int  payload:bytes
 *   CancelTask  pool:uuid  taskId:long
 *   ResourcesTask  (no fields; answered by a long[] {cpuNanos, rssBytes}, which Hazelcast writes itself)
 *   Reply       tag:byte  startNanos:long  runNanos:long  cpuNanos:long  then  DONE:   value:bytes
 *                                                                            FAILED: exception:bytes  copy:bytes
 * </pre>
 *
 * A uuid is two longs. The same registration is made on members and clients ({@link #configure}); it also restricts
 * Hazelcast's own Java deserialization to its defaults ({@code com.hazelcast.*}, {@code java*},
 * arrays), so a client cannot make a member build a user class outside the codec.
 *
 * <p>Stateless and thread-safe.
 */
final class Wire {
    private Wire() {}

    /** Hazelcast type ids of the custom serializers (positive, unique within the cluster). */
    static final int TASK_TYPE = 0x5259_0001, REPLY_TYPE = 0x5259_0002, CANCEL_TYPE = 0x5259_0003, RESOURCES_TYPE = 0x5259_0004;

    private static final byte DONE = 1, FAILED = 2;

    static void configure(SerializationConfig config) {
        config.addSerializerConfig(new SerializerConfig().setTypeClass(RemoteTask.class).setImplementation(new TaskSerializer()));
        config.addSerializerConfig(new SerializerConfig().setTypeClass(Reply.class).setImplementation(new ReplySerializer()));
        config.addSerializerConfig(new SerializerConfig().setTypeClass(CancelTask.class).setImplementation(new CancelSerializer()));
        config.addSerializerConfig(new SerializerConfig().setTypeClass(ResourcesTask.class).setImplementation(new ResourcesSerializer()));
        config.setJavaSerializationFilterConfig(new JavaSerializationFilterConfig());
    }

    static final class TaskSerializer implements StreamSerializer<RemoteTask> {
        @Override
        public void write(ObjectDataOutput out, RemoteTask t) throws IOException {
            writeUuid(out, t.pool());
            out.writeLong(t.taskId());
            out.writeInt(t.worker());
            out.writeByteArray(t.payload());
        }

        @Override
        public RemoteTask read(ObjectDataInput in) throws IOException {
            return new RemoteTask(readUuid(in), in.readLong(), in.readInt(), in.readByteArray());
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
        }

        @Override
        public CancelTask read(ObjectDataInput in) throws IOException {
            return new CancelTask(readUuid(in), in.readLong());
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
                }
                case Reply.Failed f -> {
                    out.writeByte(FAILED);
                    out.writeLong(f.startNanos());
                    out.writeLong(f.runNanos());
                    out.writeLong(f.cpuNanos());
                    out.writeByteArray(f.exception());
                    out.writeByteArray(f.copy());
                }
            }
        }

        @Override
        public Reply read(ObjectDataInput in) throws IOException {
            byte tag = in.readByte();
            long start = in.readLong(), run = in.readLong(), cpu = in.readLong();
            return switch (tag) {
                case DONE -> new Reply.Done(start, run, cpu, bytes(in));
                case FAILED -> new Reply.Failed(start, run, cpu, bytes(in), bytes(in));
                default -> throw new IOException("unknown reply tag " + tag + ": the peer speaks another railyard version");
            };
        }

        private static byte[] bytes(ObjectDataInput in) throws IOException {
            byte[] b = in.readByteArray();
            return b == null ? new byte[0] : b;
        }

        @Override
        public int getTypeId() {
            return REPLY_TYPE;
        }
    }
}
