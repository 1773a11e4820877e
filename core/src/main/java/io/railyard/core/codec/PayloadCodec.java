package io.railyard.core.codec;

import java.lang.reflect.InvocationTargetException;

/**
 * Turns tasks, results and exceptions into bytes for a worker process and back. The default is
 * {@link JavaSerializationCodec}; pool option {@code codec} names another implementation, which
 * must be on the workers' classpath too and have a public constructor taking an {@link AllowList}
 * (or a public no-argument one). Implementations must honour the allow-list when decoding.
 *
 * <p>Implementations are thread-safe: the parent encodes on submitting threads and decodes on one
 * thread per worker.
 */
public interface PayloadCodec {

    /**
     * The bytes of {@code value}.
     *
     * @throws NotEncodableException naming the class that cannot be encoded and the fix
     */
    byte[] encode(Object value);

    /**
     * The value encoded in {@code bytes}.
     *
     * @throws NotEncodableException naming the class that may not or cannot be decoded
     */
    Object decode(byte[] bytes);

    /** Instantiates the codec class {@code className} for {@code allow}. */
    static PayloadCodec create(String className, AllowList allow) {
        // the default without reflection: a worker's first reflective call spins method-handle classes (~ms)
        if (className.equals(JavaSerializationCodec.class.getName())) return new JavaSerializationCodec(allow);
        try {
            Class<?> type = Class.forName(className, true, PayloadCodec.class.getClassLoader());
            if (!PayloadCodec.class.isAssignableFrom(type))
                throw new IllegalArgumentException("codec class " + className + " does not implement " + PayloadCodec.class.getName());
            try {
                return (PayloadCodec) type.getConstructor(AllowList.class).newInstance(allow);
            } catch (NoSuchMethodException e) {
                return (PayloadCodec) type.getConstructor().newInstance();
            }
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("codec class " + className + " is not on the classpath: check pool option codec");
        } catch (NoSuchMethodException e) {
            throw new IllegalArgumentException("codec class " + className + " needs a public constructor taking an AllowList, or a public no-argument one");
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("codec class " + className + " failed to construct: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("codec class " + className + " cannot be instantiated: " + e, e);
        }
    }
}
