package io.railyard.core.processes;

import io.railyard.core.ChunkTask;
import io.railyard.core.TaskFunction;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.NotSerializableException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The default {@link PayloadCodec}: Java serialization, restricted to an {@link AllowList} in both
 * directions. Encoding checks every class as it is written, so a task that could not be decoded in
 * the worker is refused at submit, naming the class; decoding installs an {@link ObjectInputFilter}
 * that rejects any other class and any array longer than the bytes left could hold, so a hostile
 * payload cannot make it allocate more than its own size.
 *
 * <p>Plain values skip Java serialization, because it costs far more than the tiny tasks it carries
 * (a boxed {@code Integer} is a class-descriptor handle plus an object, and every payload pays for a
 * stream header and class look-ups). The first byte of a payload says its form:
 * <pre>
 *   JAVA  stream                       anything else: a filtered Java serialization stream
 *   value                              null, Boolean, Integer, Long, Double, String, or an
 *                                      ArrayList of values (exact classes: a List.of(..) stays JAVA)
 *   CHUNK fn:bytes(JAVA stream) list   a map's {@link ChunkTask} whose inputs are values
 * </pre>
 * Every class these forms build is on {@link AllowList#DEFAULTS}, and the chunk's function goes
 * through the filtered stream, so the allow-list still decides what can be instantiated. The
 * decoded function of the last chunk is kept and reused when the next chunk carries the same bytes
 * (a map sends the same function with every chunk): keep map functions stateless.
 *
 * <p>Thread-safe: every call uses its own streams; the one-entry function cache is an immutable
 * record behind a volatile field.
 */
public final class JavaSerializationCodec implements PayloadCodec {

    /** Object graphs deeper than this are refused (deep nesting overflows the decoding stack). */
    static final int MAX_DEPTH = 2_000;
    /** Lists nested deeper than this use Java serialization (and are refused deeper when decoding). */
    static final int MAX_VALUE_DEPTH = 32;

    static final byte JAVA = 0, NULL = 1, FALSE = 2, TRUE = 3, INT = 4, LONG = 5, DOUBLE = 6, STRING = 7, LIST = 8, CHUNK = 9;

    /** The function of the last chunk decoded, with the bytes it came from. */
    private record LastFunction(byte[] bytes, TaskFunction<?, ?> fn) {}

    private volatile LastFunction lastFunction;

    private final AllowList allow;
    private final ClassLoader loader;

    public JavaSerializationCodec(AllowList allow) {
        this.allow = allow;
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        this.loader = context != null ? context : JavaSerializationCodec.class.getClassLoader();
    }

    @Override
    public byte[] encode(Object value) {
        if (isValue(value, 0)) {
            FrameCodec.Sink out = new FrameCodec.Sink(64);
            putValue(out, value);
            return bytes(out);
        }
        if (value instanceof ChunkTask<?, ?> chunk && isValue(chunk.inputs(), 0)) {
            byte[] fn = javaEncode(chunk.fn());
            FrameCodec.Sink out = new FrameCodec.Sink(fn.length + 16 + 6 * chunk.inputs().size());
            out.putByte(CHUNK);
            out.putBytes(fn);
            putValue(out, chunk.inputs());
            return bytes(out);
        }
        return javaEncode(value);
    }

    @Override
    public Object decode(byte[] bytes) {
        if (bytes.length == 0) throw new NotEncodableException("an empty payload: the stream is corrupt");
        if (bytes[0] == JAVA) return javaDecode(bytes);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            Object value = in.get(0) == CHUNK ? chunk(in.position(1)) : value(in, 0);
            if (in.hasRemaining()) throw new NotEncodableException(in.remaining() + " bytes left over after a value: the payload is corrupt");
            return value;
        } catch (BufferUnderflowException e) {
            throw new NotEncodableException("a value payload of " + bytes.length + " bytes ends early: the payload is corrupt");
        }
    }

    // ------------------------------------------------------------------ plain values

    private static boolean isValue(Object v, int depth) {
        if (v == null || v instanceof Integer || v instanceof Long || v instanceof String || v instanceof Boolean || v instanceof Double)
            return true;
        if (v.getClass() != ArrayList.class || depth >= MAX_VALUE_DEPTH) return false;
        for (Object e : (ArrayList<?>) v) if (!isValue(e, depth + 1)) return false;
        return true;
    }

    private static void putValue(FrameCodec.Sink out, Object v) {
        // an if-chain rather than a pattern switch: a worker encodes its first result right after start-up
        if (v == null) {
            out.putByte(NULL);
        } else if (v instanceof Integer i) {
            out.putByte(INT);
            out.putInt(i);
        } else if (v instanceof Long l) {
            out.putByte(LONG);
            out.putLong(l);
        } else if (v instanceof Double d) {
            out.putByte(DOUBLE);
            out.putLong(Double.doubleToRawLongBits(d));
        } else if (v instanceof Boolean b) {
            out.putByte(b ? TRUE : FALSE);
        } else if (v instanceof String str) {
            out.putByte(STRING);
            out.putString(str);
        } else {
            List<?> list = (List<?>) v;
            out.putByte(LIST);
            out.putInt(list.size());
            for (Object e : list) putValue(out, e);
        }
    }

    private static Object value(ByteBuffer in, int depth) {
        byte tag = in.get();
        return switch (tag) {
            case NULL -> null;
            case FALSE -> Boolean.FALSE;
            case TRUE -> Boolean.TRUE;
            case INT -> in.getInt();
            case LONG -> in.getLong();
            case DOUBLE -> Double.longBitsToDouble(in.getLong());
            case STRING -> {
                int n = length(in);
                String str = new String(in.array(), in.position(), n, StandardCharsets.UTF_8);
                in.position(in.position() + n);
                yield str;
            }
            case LIST -> {
                if (depth >= MAX_VALUE_DEPTH) throw new NotEncodableException("lists nested deeper than " + MAX_VALUE_DEPTH + ": the payload is corrupt");
                int n = length(in); // every element takes at least one byte
                ArrayList<Object> list = new ArrayList<>(n);
                for (int i = 0; i < n; i++) list.add(value(in, depth + 1));
                yield list;
            }
            default -> throw new NotEncodableException("unknown value tag " + tag + ": the payload is corrupt");
        };
    }

    /** A length or count that must fit in the bytes left. */
    private static int length(ByteBuffer in) {
        int n = in.getInt();
        if (n < 0 || n > in.remaining())
            throw new NotEncodableException("a length of " + n + " with " + in.remaining() + " bytes left: the payload is corrupt");
        return n;
    }

    private ChunkTask<?, ?> chunk(ByteBuffer in) {
        int n = length(in);
        int at = in.position();
        in.position(at + n);
        LastFunction last = lastFunction;
        TaskFunction<?, ?> fn;
        if (last != null && Arrays.equals(last.bytes, 0, last.bytes.length, in.array(), at, at + n)) {
            fn = last.fn;
        } else {
            byte[] fnBytes = Arrays.copyOfRange(in.array(), at, at + n);
            if (!(javaDecode(fnBytes) instanceof TaskFunction<?, ?> decoded))
                throw new NotEncodableException("a chunk whose function is not a TaskFunction: the payload is corrupt");
            fn = decoded;
            lastFunction = new LastFunction(fnBytes, fn);
        }
        if (!(value(in, 0) instanceof List<?> inputs))
            throw new NotEncodableException("a chunk whose inputs are not a list: the payload is corrupt");
        @SuppressWarnings("unchecked")
        TaskFunction<Object, Object> f = (TaskFunction<Object, Object>) fn;
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) inputs;
        return new ChunkTask<>(f, list);
    }

    private static byte[] bytes(FrameCodec.Sink out) {
        ByteBuffer b = out.flipped();
        return Arrays.copyOf(b.array(), b.limit());
    }

    // ------------------------------------------------------------------ Java serialization

    private byte[] javaEncode(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        bytes.write(JAVA);
        try (CheckingOutput out = new CheckingOutput(bytes)) {
            out.writeObject(value);
        } catch (NotSerializableException e) {
            throw new NotEncodableException("class " + e.getMessage() + " is not Serializable: make it implement java.io.Serializable", e);
        } catch (NotEncodableException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new NotEncodableException("cannot encode " + className(value) + ": " + e, e);
        }
        return bytes.toByteArray();
    }

    private Object javaDecode(byte[] bytes) {
        Filter filter = new Filter(bytes.length);
        try (ObjectInputStream in = new LoaderInput(new ByteArrayInputStream(bytes, 1, bytes.length - 1))) {
            in.setObjectInputFilter(filter);
            return in.readObject();
        } catch (InvalidClassException e) {
            if (filter.rejected != null) throw new NotEncodableException(filter.rejected, e);
            throw new NotEncodableException("cannot decode a payload of " + bytes.length + " bytes: " + e, e);
        } catch (ClassNotFoundException e) {
            throw new NotEncodableException("class " + e.getMessage() + " is not on this JVM's classpath", e);
        } catch (IOException | RuntimeException e) {
            throw new NotEncodableException("cannot decode a payload of " + bytes.length + " bytes: " + e, e);
        }
    }

    private static String className(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }

    private String notAllowed(String className) {
        return "class " + className + " is not on the pool's allow-list: add it with pool option allow="
                + className + " (or its package: allow=" + packageOf(className) + ".*)";
    }

    private static String packageOf(String className) {
        int dot = className.lastIndexOf('.');
        return dot < 0 ? className : className.substring(0, dot);
    }

    /** Refuses, while writing, every class the other side would refuse to read. */
    private final class CheckingOutput extends ObjectOutputStream {
        CheckingOutput(OutputStream out) throws IOException {
            super(out);
        }

        // unchecked on purpose: an IOException would make the stream try to serialize it into itself

        @Override
        protected void annotateClass(Class<?> cl) {
            if (!allow.allows(cl)) throw new NotEncodableException(notAllowed(cl.getName()));
        }

        @Override
        protected void annotateProxyClass(Class<?> cl) {
            throw new NotEncodableException("proxy class " + cl.getName() + " cannot be sent to a worker process: send a named class instead");
        }
    }

    /** Resolves classes with the codec's loader rather than by walking the stack for one. */
    private final class LoaderInput extends ObjectInputStream {
        LoaderInput(InputStream in) throws IOException {
            super(in);
        }

        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            try {
                return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc); // primitive types
            }
        }
    }

    /** The filter of one decode: knows the payload size, remembers what it rejected for the message. */
    private final class Filter implements ObjectInputFilter {
        private final long size;
        String rejected;

        Filter(long size) {
            this.size = size;
        }

        @Override
        public Status checkInput(FilterInfo info) {
            Class<?> c = info.serialClass();
            if (c != null && !allow.allows(c)) {
                rejected = notAllowed(c.getName());
                return Status.REJECTED;
            }
            if (info.arrayLength() > size - info.streamBytes()) {
                rejected = "an array of length " + info.arrayLength() + " cannot fit in a payload of " + size + " bytes: the payload is corrupt";
                return Status.REJECTED;
            }
            if (info.depth() > MAX_DEPTH) {
                rejected = "object graph deeper than " + MAX_DEPTH + " levels";
                return Status.REJECTED;
            }
            return c != null ? Status.ALLOWED : Status.UNDECIDED;
        }
    }
}
