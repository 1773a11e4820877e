package io.railyard.core.processes;

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

/**
 * The default {@link PayloadCodec}: Java serialization, restricted to an {@link AllowList} in both
 * directions. Encoding checks every class as it is written, so a task that could not be decoded in
 * the worker is refused at submit, naming the class; decoding installs an {@link ObjectInputFilter}
 * that rejects any other class and any array longer than the bytes left could hold, so a hostile
 * payload cannot make it allocate more than its own size.
 *
 * <p>Thread-safe: every call uses its own streams.
 */
public final class JavaSerializationCodec implements PayloadCodec {

    /** Object graphs deeper than this are refused (deep nesting overflows the decoding stack). */
    static final int MAX_DEPTH = 2_000;

    private final AllowList allow;
    private final ClassLoader loader;

    public JavaSerializationCodec(AllowList allow) {
        this.allow = allow;
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        this.loader = context != null ? context : JavaSerializationCodec.class.getClassLoader();
    }

    @Override
    public byte[] encode(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
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

    @Override
    public Object decode(byte[] bytes) {
        Filter filter = new Filter(bytes.length);
        try (ObjectInputStream in = new LoaderInput(new ByteArrayInputStream(bytes))) {
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
        return "class " + className + " is not on the allow-list of the processes pool: add it with pool option allow="
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
