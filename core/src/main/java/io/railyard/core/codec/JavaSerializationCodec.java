package io.railyard.core.codec;

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
import java.io.Serializable;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import io.railyard.core.codec.bounded.HashingBudget;
import io.railyard.core.codec.bounded.StandIn;

/**
 * The default {@link PayloadCodec}: Java serialization, restricted to an {@link AllowList} in both
 * directions. Encoding checks every class as it is written, so a task that could not be decoded in
 * the worker is refused at submit, naming the class; decoding installs an {@link ObjectInputFilter}
 * that rejects any other class and any array longer than the bytes left could hold, so a hostile
 * payload cannot make it allocate more than its own size, and graphs deeper than {@value #MAX_DEPTH},
 * with more than {@value #MAX_REFS} references or longer than 64 MiB. The JDK's hash collections
 * ({@code HashSet}, {@code HashMap}, their linked forms, {@code Set.of}, {@code Map.of}) are read by
 * stand-ins that charge the hashing of their keys to a per-decode budget before building them
 * ({@link HashingBudget}), so nested shared sets (the deserialization CPU bomb) are refused within
 * about {@value #HASH_VISITS} visits plus {@value #HASH_VISITS_PER_BYTE} per byte instead of
 * burning a core for good; the JDK's other hashing classes ({@link #UNBOUNDED_HASHING}) are
 * refused. A stack overflow while encoding or decoding is a {@link NotEncodableException}, like
 * any other failure to cross.
 *
 * <p>Plain values skip Java serialization, because it costs far more than the tiny tasks it carries
 * (a boxed {@code Integer} is a class-descriptor handle plus an object, and every payload pays for a
 * stream header and class look-ups). The first byte of a payload says its form:
 * <pre>
 *   JAVA  stream                       anything else: a filtered Java serialization stream
 *   value                              null, Boolean, Integer, Long, Double, String, an
 *                                      ArrayList of values (exact classes: a List.of(..) stays JAVA),
 *                                      or a plain record whose components are values:
 *                                      RECORD class:string n:int value...
 *   CHUNK fn:bytes(JAVA stream) list   a map's {@link ChunkTask} whose inputs are values
 * </pre>
 * A plain record is a {@code Serializable} record without {@code writeReplace}/{@code readResolve}:
 * Java serialization would rebuild it through its canonical constructor from its components, and
 * so does this form, after the class passed the allow-list (resolved without being initialised, as
 * the stream's filter does). Task records like {@code Fib(int k)} thus skip the serialization
 * machinery, whose first use costs a fresh worker ~10 ms of CPU (and a scan of every jar on the
 * classpath, for the system logger its filter configuration asks for).
 * Every other class these forms build is on {@link AllowList#DEFAULTS}, and the chunk's function goes
 * through the filtered stream, so the allow-list still decides what can be instantiated. The
 * decoded function of the last chunk is kept and reused when the next chunk carries the same bytes
 * (a map sends the same function with every chunk): keep map functions stateless.
 *
 * <p>Thread-safe: every call uses its own streams; the one-entry function cache is an immutable
 * record behind a volatile field.
 */
public final class JavaSerializationCodec implements PayloadCodec {

    /** Object graphs deeper than this are refused (deep nesting overflows the decoding stack). */
    static final int MAX_DEPTH = 100;
    /** Streams with more object references (new objects, back references, class descriptors) than this are refused. */
    static final long MAX_REFS = 1_000_000;
    /** Streams longer than this are refused: send large work in chunks. */
    static final long MAX_STREAM_BYTES = 64L << 20;
    /**
     * Hashing a decode may do, in objects visited ({@link HashingBudget}): this many, plus
     * {@value #HASH_VISITS_PER_BYTE} per payload byte.
     */
    static final long HASH_VISITS = 1_000_000;
    static final long HASH_VISITS_PER_BYTE = 16;
    /**
     * JDK classes whose decoding hashes (or compares) their keys with no stand-in to bound it: refused.
     * Send a {@code HashMap} or {@code Map.of} instead.
     */
    static final Set<String> UNBOUNDED_HASHING = Set.of("java.util.Hashtable", "java.util.Properties",
            "java.util.concurrent.ConcurrentHashMap", "java.util.concurrent.ConcurrentSkipListMap",
            "java.util.concurrent.ConcurrentSkipListSet", "java.util.concurrent.CopyOnWriteArraySet");
    /** Lists nested deeper than this use Java serialization (and are refused deeper when decoding). */
    static final int MAX_VALUE_DEPTH = 32;

    static final byte JAVA = 0, NULL = 1, FALSE = 2, TRUE = 3, INT = 4, LONG = 5, DOUBLE = 6, STRING = 7, LIST = 8, CHUNK = 9, RECORD = 10;

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
        try {
            return encodeUnguarded(value);
        } catch (StackOverflowError e) {
            throw new NotEncodableException("encoding " + className(value) + " overflowed the stack: its object graph nests too deep", e);
        }
    }

    private byte[] encodeUnguarded(Object value) {
        ByteSink out = new ByteSink(64);
        if (value instanceof ChunkTask<?, ?> chunk) { // its own form, whose function is decoded once per worker
            if (putValue(out, chunk.inputs(), 0)) {
                ByteBuffer inputs = out.flipped();
                byte[] fn = javaEncode(chunk.fn());
                return ByteBuffer.allocate(1 + 4 + fn.length + inputs.remaining())
                        .put(CHUNK).putInt(fn.length).put(fn).put(inputs).array();
            }
        } else if (putValue(out, value, 0)) {
            return bytes(out);
        }
        return javaEncode(value);
    }

    @Override
    public Object decode(byte[] bytes) {
        try {
            return decodeUnguarded(bytes);
        } catch (StackOverflowError e) {
            throw new NotEncodableException("decoding a payload of " + bytes.length + " bytes overflowed the stack: it nests too deep", e);
        }
    }

    private Object decodeUnguarded(byte[] bytes) {
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

    /**
     * Writes {@code v} in the value form, or returns false (leaving {@code out} half-written: the
     * caller discards it) when {@code v} is not a value, so that it goes through Java serialization.
     */
    private boolean putValue(ByteSink out, Object v, int depth) {
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
        } else if (depth >= MAX_VALUE_DEPTH) {
            return false;
        } else if (v.getClass() == ArrayList.class) {
            ArrayList<?> list = (ArrayList<?>) v;
            out.putByte(LIST);
            out.putInt(list.size());
            for (Object e : list) if (!putValue(out, e, depth + 1)) return false;
        } else if (v instanceof Record r) {
            Optional<RecordShape> shape = SHAPES.get(r.getClass());
            if (shape.isEmpty() || !allow.allows(r.getClass())) return false; // Java serialization names the refusal
            Method[] accessors = shape.get().accessors();
            out.putByte(RECORD);
            out.putString(r.getClass().getName());
            out.putInt(accessors.length);
            for (Method accessor : accessors) {
                Object component;
                try {
                    component = accessor.invoke(r);
                } catch (ReflectiveOperationException e) {
                    return false; // an accessor that throws: let Java serialization report it
                }
                if (!putValue(out, component, depth + 1)) return false;
            }
        } else {
            return false;
        }
        return true;
    }

    /**
     * How a plain record crosses in the value form: its accessors and canonical constructor, made
     * accessible. Absent for a record that is not {@code Serializable}, that replaces or resolves
     * itself, or whose members cannot be made accessible (a named module that does not open its package).
     */
    private record RecordShape(Method[] accessors, Constructor<?> canonical) {
        static Optional<RecordShape> of(Class<?> c) {
            if (!c.isRecord() || !Serializable.class.isAssignableFrom(c)) return Optional.empty();
            if (declares(c, "writeReplace") || declares(c, "readResolve")) return Optional.empty();
            RecordComponent[] components = c.getRecordComponents();
            Method[] accessors = new Method[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                accessors[i] = components[i].getAccessor();
                types[i] = components[i].getType();
                if (!accessors[i].trySetAccessible()) return Optional.empty();
            }
            try {
                Constructor<?> canonical = c.getDeclaredConstructor(types);
                return canonical.trySetAccessible() ? Optional.of(new RecordShape(accessors, canonical)) : Optional.empty();
            } catch (NoSuchMethodException e) {
                return Optional.empty();
            }
        }

        private static boolean declares(Class<?> c, String method) {
            for (Method m : c.getDeclaredMethods()) if (m.getName().equals(method) && m.getParameterCount() == 0) return true;
            return false;
        }
    }

    private static final ClassValue<Optional<RecordShape>> SHAPES = new ClassValue<>() {
        @Override
        protected Optional<RecordShape> computeValue(Class<?> type) {
            return RecordShape.of(type);
        }
    };

    private Object value(ByteBuffer in, int depth) {
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
            case RECORD -> record(in, depth);
            default -> throw new NotEncodableException("unknown value tag " + tag + ": the payload is corrupt");
        };
    }

    /** A plain record: its class must be allowed before it is initialised or built. */
    private Object record(ByteBuffer in, int depth) {
        if (depth >= MAX_VALUE_DEPTH) throw new NotEncodableException("values nested deeper than " + MAX_VALUE_DEPTH + ": the payload is corrupt");
        int n = length(in);
        String name = new String(in.array(), in.position(), n, StandardCharsets.UTF_8);
        in.position(in.position() + n);
        Class<?> type;
        try {
            type = Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new NotEncodableException("class " + name + " is not on this JVM's classpath", e);
        }
        if (!allow.allows(type)) throw new NotEncodableException(notAllowed(name));
        RecordShape shape = SHAPES.get(type).orElseThrow(() ->
                new NotEncodableException(name + " is not a plain serializable record here: the payload is corrupt"));
        int count = in.getInt();
        if (count != shape.accessors().length)
            throw new NotEncodableException(name + " has " + shape.accessors().length + " components here, the payload " + count + ": the payload is corrupt");
        Object[] args = new Object[count];
        for (int i = 0; i < count; i++) args[i] = value(in, depth + 1);
        try {
            return shape.canonical().newInstance(args);
        } catch (InvocationTargetException e) {
            throw new NotEncodableException("the constructor of " + name + " refused the decoded components: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            throw new NotEncodableException("cannot build " + name + " from the payload's components (" + e + "): the payload is corrupt", e);
        }
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

    private static byte[] bytes(ByteSink out) {
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
        try (HashingBudget ignored = HashingBudget.open(HASH_VISITS + HASH_VISITS_PER_BYTE * bytes.length);
             ObjectInputStream in = new LoaderInput(new ByteArrayInputStream(bytes, 1, bytes.length - 1))) {
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

        /**
         * The JDK's hash collections are read by their {@link StandIn}s, which bound their hashing;
         * the others, and subclasses of the covered ones (whose keys the stand-ins cannot reach), are
         * refused.
         */
        @Override
        protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
            String name = desc.getName();
            Class<?> standIn = StandIn.FOR.get(name);
            if (standIn != null) return standIn;
            if (UNBOUNDED_HASHING.contains(name)) throw new NotEncodableException(unbounded(name));
            Class<?> c;
            try {
                c = Class.forName(name, false, loader);
            } catch (ClassNotFoundException e) {
                return super.resolveClass(desc); // primitive types
            }
            for (Class<?> up = c.getSuperclass(); up != null; up = up.getSuperclass())
                if (StandIn.FOR.containsKey(up.getName()) || UNBOUNDED_HASHING.contains(up.getName()))
                    throw new NotEncodableException(unbounded(name) + " (it extends " + up.getName() + ")");
            return c;
        }

        private static String unbounded(String name) {
            return "class " + name + " is not decoded by railyard's codec: rebuilding it hashes its keys with no bound"
                    + " (the deserialization CPU bomb); send a HashMap, HashSet, Map.of or Set.of instead";
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
            if (c != null) {
                String real = StandIn.class.isAssignableFrom(c) ? StandIn.standsFor(c) : null; // judged by the JDK class it reads
                if (real != null ? !allow.allowsName(real) : !allow.allows(c)) {
                    rejected = notAllowed(real != null ? real : c.getName());
                    return Status.REJECTED;
                }
            }
            if (info.references() > MAX_REFS) {
                rejected = "more than " + MAX_REFS + " object references: send large work in chunks";
                return Status.REJECTED;
            }
            if (info.streamBytes() > MAX_STREAM_BYTES) {
                rejected = "a stream longer than " + (MAX_STREAM_BYTES >> 20) + " MiB: send large work in chunks";
                return Status.REJECTED;
            }
            if (info.arrayLength() > size - info.streamBytes()) {
                rejected = "an array of length " + info.arrayLength() + " cannot fit in a payload of " + size + " bytes: the payload is corrupt";
                return Status.REJECTED;
            }
            if (info.depth() > MAX_DEPTH) {
                rejected = "an object graph deeper than " + MAX_DEPTH + " levels";
                return Status.REJECTED;
            }
            return c != null ? Status.ALLOWED : Status.UNDECIDED;
        }
    }
}
