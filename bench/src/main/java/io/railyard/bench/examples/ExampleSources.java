package io.railyard.bench.examples;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the example job of each model (this package's {@code <Model>Example.java}, shipped in the
 * jar as text, and CPython's {@code example_<model>.py}) and measures what a reader of it faces:
 * the lines of code (non-blank, outside comments and docstrings) and the concepts it needs, found
 * by the API names and keywords that appear in those lines ({@link #CONCEPTS}), never typed in per
 * model. Also lists what the source imports: the types and packages a user writes against.
 *
 * <p>Stateless and thread-safe.
 */
public final class ExampleSources {
    private ExampleSources() {}

    /** Where the sources are, on the class path. */
    public static final String RESOURCE_DIR = "/io/railyard/bench/examples/";

    /**
     * A concept and the code that shows a reader needs it, per language: a line matching the
     * pattern counts it. The order is the report's.
     */
    public record Concept(String name, String shows, Pattern java, Pattern python) {}

    public static final List<Concept> CONCEPTS = List.of(
            new Concept("lock", "synchronized, Lock, Atomic*, LongAdder; threading.Lock, with lock", Pattern.compile("\\bsynchronized\\b|\\b(Reentrant)?Lock\\b|\\bAtomic[A-Z]\\w*|\\bLongAdder\\b"),
                    Pattern.compile("\\b(threading\\.)?R?Lock\\(|\\bwith lock\\b")),
            new Concept("semaphore", "Semaphore, AsyncSemaphore; Semaphore(", Pattern.compile("\\b(Async)?Semaphore\\b"), Pattern.compile("\\bSemaphore\\(")),
            new Concept("IPC / serialisation", "the \"allow\" list of classes sent to workers, Serializable; multiprocessing, pickle, Pipe, Queue",
                    Pattern.compile("\"allow\"|\\bSerializable\\b|\\bObjectOutputStream\\b"),
                    Pattern.compile("\\bmultiprocessing\\b|\\bpickle\\b|\\bPipe\\(|\\bQueue\\(")),
            new Concept("non-blocking calls", "submitAsync, CompletionStage, thenApply/Compose/Accept; async def, await",
                    Pattern.compile("\\bsubmitAsync\\b|\\bCompletionStage\\b|\\.then(Apply|Compose|Accept)\\("),
                    Pattern.compile("\\basync def\\b|\\bawait\\b")));

    /**
     * What the example of a model shows.
     *
     * @param file      the source's file name
     * @param source    its whole text
     * @param lines     lines of code: non-blank, not comment, not docstring
     * @param concepts  the {@link #CONCEPTS} its code lines show, in that order
     * @param imports   what it imports: Java types (simple names) from railyard, CPython modules
     */
    public record Example(String model, String language, String file, String source, int lines,
                          List<String> concepts, List<String> imports) {}

    /** The file of a model's example: {@code ThreadsExample.java}, {@code example_asyncio.py}. */
    public static String fileOf(String model, String language) {
        return language.equals("python") ? "example_" + model + ".py"
                : model.substring(0, 1).toUpperCase(Locale.ROOT) + model.substring(1) + "Example.java";
    }

    /** The example of {@code model}, or null when there is none on the class path. */
    public static Example of(String model, String language) {
        String file = fileOf(model, language);
        String source = read(file);
        if (source == null) return null;
        return scan(model, language, file, source);
    }

    /** Measures a source as {@link #of} does. */
    public static Example scan(String model, String language, String file, String source) {
        boolean python = language.equals("python");
        List<String> code = python ? pythonCode(source) : javaCode(source);
        List<String> concepts = new ArrayList<>();
        for (Concept c : CONCEPTS) {
            Pattern p = python ? c.python() : c.java();
            if (code.stream().anyMatch(l -> p.matcher(l).find())) concepts.add(c.name());
        }
        return new Example(model, language, file, source, code.size(), concepts, python ? pythonImports(code) : javaImports(code));
    }

    private static String read(String file) {
        try (InputStream in = ExampleSources.class.getResourceAsStream(RESOURCE_DIR + file)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Java lines outside comments, comments cut off; strings are not parsed (the examples hold no comment marker in one). */
    static List<String> javaCode(String source) {
        List<String> out = new ArrayList<>();
        boolean inComment = false;
        for (String raw : source.split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            String s = raw;
            while (!s.isEmpty()) {
                if (inComment) {
                    int end = s.indexOf("*/");
                    if (end < 0) s = "";
                    else {
                        s = s.substring(end + 2);
                        inComment = false;
                    }
                } else {
                    int block = s.indexOf("/*"), lineComment = s.indexOf("//");
                    if (lineComment >= 0 && (block < 0 || lineComment < block)) {
                        line.append(s, 0, lineComment);
                        s = "";
                    } else if (block >= 0) {
                        line.append(s, 0, block);
                        s = s.substring(block + 2);
                        inComment = true;
                    } else {
                        line.append(s);
                        s = "";
                    }
                }
            }
            if (!line.toString().isBlank()) out.add(line.toString().strip());
        }
        return out;
    }

    /** Python lines outside {@code #} comments and docstrings (a string statement of its own in triple quotes). */
    static List<String> pythonCode(String source) {
        List<String> out = new ArrayList<>();
        String inDoc = null;
        for (String raw : source.split("\n", -1)) {
            String s = raw.strip();
            if (inDoc != null) {
                if (s.contains(inDoc)) inDoc = null;
                continue;
            }
            if (s.startsWith("\"\"\"") || s.startsWith("'''")) {
                String q = s.substring(0, 3);
                if (s.length() < 6 || !s.substring(3).contains(q)) inDoc = q;
                continue;
            }
            if (s.isEmpty() || s.startsWith("#")) continue;
            out.add(s);
        }
        return out;
    }

    private static final Pattern JAVA_IMPORT = Pattern.compile("^import\\s+(io\\.railyard\\.[\\w.]+)\\.(\\w+);");
    private static final Pattern JAVA_OPENED = Pattern.compile("Models\\.open\\(\"(\\w+)\"");
    private static final Pattern PY_IMPORT = Pattern.compile("^(?:from\\s+([\\w.]+)\\s+import|import\\s+([\\w.]+))");

    /** The railyard types a Java example imports, and the models it opens by name. */
    static List<String> javaImports(List<String> code) {
        List<String> out = new ArrayList<>();
        for (String l : code) {
            var m = JAVA_IMPORT.matcher(l);
            if (m.find()) out.add(m.group(2));
            var o = JAVA_OPENED.matcher(l);
            if (o.find()) out.add("Models.open(\"" + o.group(1) + "\")");
        }
        return out;
    }

    /** The modules a Python example imports, without {@code sys} (which only reads the command line). */
    static List<String> pythonImports(List<String> code) {
        List<String> out = new ArrayList<>();
        for (String l : code) {
            var m = PY_IMPORT.matcher(l);
            if (!m.find()) continue;
            String mod = m.group(1) != null ? m.group(1) : m.group(2);
            if (!mod.equals("sys") && !out.contains(mod)) out.add(mod);
        }
        return out;
    }

    /** Model to example, for the models given, skipping those without one. */
    public static Map<String, Example> all(Map<String, String> languageByModel) {
        Map<String, Example> m = new LinkedHashMap<>();
        languageByModel.forEach((model, lang) -> {
            Example e = of(model, lang);
            if (e != null) m.put(model, e);
        });
        return m;
    }
}
