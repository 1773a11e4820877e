package io.railyard.cli;

import io.railyard.bench.advise.Advisor;
import io.railyard.bench.advise.TaskFailsOnInputException;
import io.railyard.bench.compare.Fmt;
import io.railyard.bench.harness.Harness;
import io.railyard.bench.harness.ResultsJson;
import io.railyard.core.Models;
import io.railyard.core.TaskFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/**
 * {@code railyard advise --task CLASS}: runs a user's task briefly under each model and recommends a
 * model and a concurrency with the evidence. The task is a class on the classpath implementing
 * {@link TaskFunction}{@code <String, ?>} with a public no-argument constructor; it is applied to
 * each input line.
 */
@Command(name = "advise", mixinStandardHelpOptions = true,
        description = {"Run your task briefly under each model and recommend a model and a concurrency.",
                "The evidence comes with the advice: CPU share of wall time, memory per task, scaling. The task is a class"
                        + " implementing io.railyard.core.TaskFunction<String, ?> with a public no-argument constructor,"
                        + " applied to each input line.",
                "Example: railyard advise --task io.railyard.bench.advise.example.HashRounds"})
public final class AdviseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--task", required = true, paramLabel = "CLASS", description = "the task class (fully qualified name)")
    String task;

    @Option(names = "--input", paramLabel = "FILE", description = "inputs, one per line (default: the numbers 1 to 64)")
    Path input;

    @Option(names = "--models", split = ",", paramLabel = "NAME[,NAME...]", description = "models to try (default: every model present)")
    List<String> models;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "1.0",
            description = "the longest one measurement runs (default: ${DEFAULT-VALUE}); advice takes several of them per model")
    double seconds;

    @Option(names = "--json", description = "print the advice and every measurement as one JSON object on stdout")
    boolean json;

    @Option(names = "--model-option", paramLabel = "KEY=VALUE",
            description = "a model-specific setting for every model tried, repeatable (e.g. allow=com.acme.results.* or jvmArgs=-Xmx1g for processes)")
    Map<String, String> modelOptions = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        if (!(seconds > 0 && seconds <= 60)) throw new UserError("--seconds must be between 0 and 60, was " + seconds);
        List<String> ms = models == null || models.isEmpty() ? Models.names() : models;
        for (String m : ms)
            if (!Models.has(m))
                throw new UserError("unknown model '" + m + "' in --models: choose from " + String.join(", ", Models.names()));
        ModelOptionKeys.checkAny(modelOptions);
        for (String m : ms) RunOptions.checkModelOptions(m, 1, modelOptions);
        TaskFunction<String, ?> fn = load(task);
        List<String> inputs = inputs();
        Advisor.Advice a;
        try {
            a = new Advisor(fn, inputs, ms, seconds, Harness.Listener.NONE, modelOptions).advise();
        } catch (IllegalStateException noModel) { // every measurement failed: say why in one line
            throw new UserError("advise: " + noModel.getMessage());
        } catch (TaskFailsOnInputException e) {
            throw new UserError(e.getMessage(), e);
        }
        if (json) {
            out.println(ResultsJson.toLine(a));
        } else {
            out.printf(Locale.ROOT, "advice for %s (%d inputs, %s per call on one thread):%n", a.task(), a.inputs(), Fmt.seconds(a.serialTaskS()));
            out.printf(Locale.ROOT, "  use --model %s -c %d   (%s tasks/s)%n", a.model(), a.c(), Fmt.count(a.tasksPerSecond()));
            out.println("evidence:");
            for (String e : a.evidence()) out.println("  - " + e);
            for (Advisor.Point p : a.points())
                if (p.error() != null) out.println("  ! " + p.model() + " at C=" + p.c() + ": " + p.error());
        }
        out.flush();
        return 0;
    }

    /** Loads and instantiates the task class, or explains in one line what is wrong with it. */
    @SuppressWarnings("unchecked")
    static TaskFunction<String, ?> load(String name) {
        Class<?> c;
        try {
            c = Class.forName(name, true, AdviseCommand.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new UserError("task class '" + name + "' was not found on the classpath: give a fully qualified name"
                    + " (e.g. io.railyard.bench.advise.example.HashRounds) and put your classes on the classpath with"
                    + " RAILYARD_CLASSPATH=dir-or-jar[:...]");
        }
        if (!TaskFunction.class.isAssignableFrom(c))
            throw new UserError("task class '" + name + "' does not implement io.railyard.core.TaskFunction<String, ?>");
        try {
            return (TaskFunction<String, ?>) c.getConstructor().newInstance();
        } catch (NoSuchMethodException e) {
            throw new UserError("task class '" + name + "' needs a public no-argument constructor");
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new UserError("task class '" + name + "' could not be created: " + cause);
        }
    }

    private List<String> inputs() {
        if (input == null) return IntStream.rangeClosed(1, 64).mapToObj(Integer::toString).toList();
        try {
            List<String> lines = new ArrayList<>(Files.readAllLines(input, StandardCharsets.UTF_8));
            lines.removeIf(String::isEmpty);
            if (lines.isEmpty()) throw new UserError("--input '" + input + "' has no non-empty line: give one input per line");
            return lines;
        } catch (IOException e) {
            String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                    : e instanceof java.nio.file.AccessDeniedException ? "permission denied" : "unreadable";
            throw new UserError("cannot read --input '" + input + "' (" + why + "): give a readable file, one input per line");
        }
    }
}
