package io.railyard.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Model.UsageMessageSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * {@link CommandSpecs}, the commands' models written as programmatic-API calls, is what
 * {@link CommandSpecsGenerator} writes from the annotations now, and each model it builds equals the
 * one picocli builds by reflection, attribute by attribute.
 */
class CommandSpecsTest {

    @Test
    void theCheckedInFileIsWhatTheGeneratorWritesFromTheAnnotations() throws IOException {
        Path file = Path.of(CommandSpecsGenerator.SOURCE);
        String generated = CommandSpecsGenerator.generate();
        if (Boolean.getBoolean("railyard.writeCommandSpecs")) Files.writeString(file, generated, StandardCharsets.UTF_8);
        assertEquals(generated, Files.readString(file, StandardCharsets.UTF_8), "CommandSpecs.java is stale: a command's"
                + " annotations changed. Rewrite it: ./mvnw -q -pl cli -am test -Dtest=CommandSpecsTest"
                + " -Dsurefire.failIfNoSpecifiedTests=false -Drailyard.writeCommandSpecs=true");
    }

    @Test
    void everyGeneratedModelEqualsPicoclisReflectiveOne() {
        List<String> generated = new ArrayList<>();
        for (String path : CommandSpecsGenerator.paths()) {
            CommandSpec spec = CommandSpecs.create(path);
            if (spec == null) {
                assertNotNull(CommandSpecsGenerator.unsupported(path), "only a command the generator cannot write is left to reflection: " + path);
                continue;
            }
            generated.add(path);
            assertEquals(describe(CommandSpecsGenerator.reflective(path)), describe(spec), "railyard " + path);
            assertSame(Main.commandClass(path), spec.userObject().getClass());
        }
        assertTrue(generated.containsAll(List.of("", "run", "run cpu", "run io", "run connections", "crawl")),
                "the commands users start most are generated: " + generated);
    }

    @Test
    void everySummaryIsTheCommandsNameDescriptionAndHiddenFlagAsItsAnnotationSays() {
        for (String path : CommandSpecsGenerator.paths()) {
            CommandSpec r = Main.annotatedSummary(path), s = CommandSpecs.summary(path);
            assertEquals(r.name(), s.name());
            assertEquals(List.of(r.usageMessage().description()), List.of(s.usageMessage().description()), path);
            assertEquals(r.usageMessage().hidden(), s.usageMessage().hidden(), path);
        }
    }

    @Test
    void eachCallBuildsItsOwnCommandObject() {
        CommandSpec a = CommandSpecs.create("run io"), b = CommandSpecs.create("run io");
        assertNotSame(a.userObject(), b.userObject());
        RunIoCommand io = (RunIoCommand) a.userObject();
        assertSame(a, io.spec);
        assertNotNull(io.options.budget);
        a.findOption("-n").setValue(7);
        assertEquals(7, io.n);
        assertEquals(0, ((RunIoCommand) b.userObject()).n);
    }

    /** Every attribute of a command's model that parsing or help reads, one line each. */
    static String describe(CommandSpec spec) {
        UsageMessageSpec u = spec.usageMessage();
        List<String> lines = new ArrayList<>(List.of("name " + spec.name(), "aliases " + List.of(spec.aliases()),
                "help options " + spec.mixinStandardHelpOptions(),
                "usage " + List.of(u.description()) + " sort " + u.sortOptions() + " hidden " + u.hidden()
                        + " header " + List.of(u.header()) + " footer " + List.of(u.footer()) + " synopsis " + List.of(u.customSynopsis())
                        + " headings " + Arrays.asList(u.headerHeading(), u.synopsisHeading(), u.descriptionHeading(),
                        u.parameterListHeading(), u.optionListHeading(), u.commandListHeading(), u.footerHeading())
                        + " " + u.abbreviateSynopsis() + u.showDefaultValues() + u.sortSynopsis() + u.requiredOptionMarker()));
        for (ArgSpec a : spec.args()) lines.add(describe(a));
        return String.join("\n", lines);
    }

    private static String describe(ArgSpec a) {
        // the description and default value as declared too: picocli expands their variables when read
        String[] rawDescription = a instanceof OptionSpec o ? o.toBuilder().description() : ((PositionalParamSpec) a).toBuilder().description();
        String rawDefault = a instanceof OptionSpec o ? o.toBuilder().defaultValue() : ((PositionalParamSpec) a).toBuilder().defaultValue();
        String what = a instanceof OptionSpec o
                ? "option " + List.of(o.names()) + " fallback " + o.toBuilder().fallbackValue() + " negatable " + o.negatable()
                + " order " + o.order() + " help " + o.usageHelp() + o.versionHelp() + o.help()
                : "positional " + ((PositionalParamSpec) a).index() + " unspecified " + ((PositionalParamSpec) a).index().isUnspecified();
        List<String> candidates = new ArrayList<>();
        if (a.completionCandidates() != null) a.completionCandidates().forEach(candidates::add);
        return what + " label " + a.paramLabel() + " type " + a.type().getName() + " " + List.of(a.auxiliaryTypes())
                + " multi " + a.isMultiValue() + " collection " + a.typeInfo().isCollection() + " map " + a.typeInfo().isMap()
                + " boolean " + a.typeInfo().isBoolean() + " enum " + a.typeInfo().isEnum()
                + " arity " + a.arity() + " unspecified " + a.arity().isUnspecified()
                + " description " + List.of(a.description()) + " " + List.of(rawDescription)
                + " default " + a.defaultValue() + " " + rawDefault + " shown " + a.showDefaultValue()
                + " initial " + a.initialValue() + " " + a.hasInitialValue() + " required " + a.required() + " hidden " + a.hidden()
                + " split " + a.splitRegex() + "/" + a.splitRegexSynopsisLabel() + " candidates " + candidates
                + " converters " + a.converters().length + " interactive " + a.interactive() + " inherited " + a.inherited()
                + " scope " + a.scopeType() + " map fallback " + a.mapFallbackValue() + " hide syntax " + a.hideParamSyntax();
    }
}
