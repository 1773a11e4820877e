package io.railyard.core.codec;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * A record of settings as ONE command-line argument, for a railyard process that starts another of
 * its own (a detached latency server, a cluster member in a test): every component of the record by
 * its name, plus extra values (a parent's pid) under names of their own, in the properties format,
 * which escapes whatever could break the argument. It is the wire form between two railyard
 * processes, not a command line for people: they start the same programs through the railyard
 * command, which has the one parser and its help. Every component travels, so a setting added to
 * the record reaches the child without a change here.
 *
 * <p>Components may be {@code String}, {@code int}, {@code long}, {@code boolean} or
 * {@code List<String>} (elements without line breaks). Stateless and thread-safe.
 */
public final class RecordArgument {
    private RecordArgument() {}

    /** {@code settings} and {@code extra} as one argument; an extra value may not reuse a component's name. */
    public static String encode(Record settings, Map<String, String> extra) {
        Properties p = new Properties();
        for (RecordComponent c : settings.getClass().getRecordComponents()) {
            Object v;
            try {
                v = c.getAccessor().invoke(settings);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + c.getName() + " of " + settings, e);
            }
            if (!travels(c)) throw new IllegalStateException("component " + c.getName() + " of type " + c.getGenericType() + " cannot travel as an argument");
            if (v == null) throw new IllegalArgumentException(c.getName() + " of " + settings + " is null: it cannot travel");
            p.setProperty(c.getName(), v instanceof List<?> list ? String.join("\n", list.stream().map(String::valueOf).toList()) : v.toString());
        }
        for (Map.Entry<String, String> e : extra.entrySet()) {
            if (p.containsKey(e.getKey())) throw new IllegalArgumentException("extra value " + e.getKey() + " has a component's name");
            p.setProperty(e.getKey(), e.getValue());
        }
        StringWriter out = new StringWriter();
        try {
            p.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        // the first line is the date the properties format always writes: not part of the settings
        return out.toString().lines().filter(l -> !l.startsWith("#")).reduce((a, b) -> a + "\n" + b).orElse("");
    }

    /**
     * The values of an argument made by {@link #encode}.
     *
     * @throws IllegalArgumentException if it is not in that form
     */
    public static Map<String, String> parse(String argument) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(argument));
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not the settings of a railyard child process: " + e.getMessage());
        }
        Map<String, String> values = new LinkedHashMap<>();
        for (String name : p.stringPropertyNames()) values.put(name, p.getProperty(name));
        return values;
    }

    /**
     * The record of {@code type} whose components {@code values} name (values of other names are
     * ignored), built through its canonical constructor, so that its own checks run.
     *
     * @throws IllegalArgumentException naming a missing or malformed component, or the record's own objection
     */
    public static <R extends Record> R decode(Class<R> type, Map<String, String> values) {
        RecordComponent[] components = type.getRecordComponents();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            String v = values.get(c.getName());
            if (v == null) throw new IllegalArgumentException("the settings lack " + c.getName() + " (" + type.getSimpleName() + ")");
            args[i] = value(c, v);
        }
        try {
            return type.getDeclaredConstructor(Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new))
                    .newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    private static Object value(RecordComponent c, String v) {
        Class<?> t = c.getType();
        try {
            if (t == String.class) return v;
            if (t == int.class) return Integer.parseInt(v);
            if (t == long.class) return Long.parseLong(v);
            if (t == boolean.class) {
                if (!v.equals("true") && !v.equals("false")) throw new NumberFormatException(v);
                return Boolean.parseBoolean(v);
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("setting " + c.getName() + "=" + v + " is not " + (t == boolean.class ? "true or false" : "a whole number"));
        }
        if (t == List.class && isListOfString(c.getGenericType())) return v.isEmpty() ? List.of() : List.of(v.split("\n", -1));
        throw new IllegalStateException("component " + c.getName() + " of type " + c.getGenericType() + " cannot travel as an argument");
    }

    private static boolean travels(RecordComponent c) {
        Class<?> t = c.getType();
        return t == String.class || t == int.class || t == long.class || t == boolean.class
                || t == List.class && isListOfString(c.getGenericType());
    }

    private static boolean isListOfString(Type t) {
        return t instanceof ParameterizedType p && p.getActualTypeArguments()[0] == String.class;
    }
}
