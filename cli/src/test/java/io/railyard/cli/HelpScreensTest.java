package io.railyard.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The help screens the build stored are the text picocli prints for the same request, and they are
 * printed only for a plain help request: {@code railyard [COMMAND...] -h|--help}.
 */
class HelpScreensTest {

    @Test
    void everyCommandHasAStoredScreenEqualToPicoclisWithAndWithoutStyles() {
        List<String> paths = HelpScreens.paths();
        assertTrue(paths.containsAll(List.of("", "run", "run cpu", "run io", "run connections", "compare", "advise",
                "serve", "crawl", "member")), "every command that has help: " + paths);
        assertFalse(paths.contains("aot-train"), "a hidden command without a help option has no screen");
        for (String path : paths) {
            String plain = HelpScreens.read(path, false), styled = HelpScreens.read(path, true);
            assertNotNull(plain, "the build stored the screen of '" + path + "'");
            assertEquals(HelpScreens.render(path, false), plain, "railyard " + path + " --help");
            assertEquals(HelpScreens.render(path, true), styled, "railyard " + path + " --help, styled");
            assertTrue(plain.startsWith("Usage: railyard" + (path.isEmpty() ? "" : " " + path)), plain);
            assertTrue(styled.contains("\u001b["), "the styled screen has ANSI escapes: " + path);
            assertFalse(plain.contains("\u001b["), "the plain screen has none: " + path);
        }
    }

    @Test
    void onlyACommandPathFollowedByOneHelpFlagIsAnsweredFromTheStore() {
        assertEquals("", HelpScreens.helpPath(new String[]{"--help"}));
        assertEquals("", HelpScreens.helpPath(new String[]{"-h"}));
        assertEquals("run", HelpScreens.helpPath(new String[]{"run", "--help"}));
        assertEquals("run cpu", HelpScreens.helpPath(new String[]{"run", "cpu", "-h"}));
        assertEquals("crawl", HelpScreens.helpPath(new String[]{"crawl", "--help"}));
        for (String[] other : List.of(new String[]{}, new String[]{"run"}, new String[]{"run", "cpu"},
                new String[]{"cpu", "--help"}, new String[]{"run", "bogus", "--help"}, new String[]{"--help", "run"},
                new String[]{"run", "cpu", "--json", "--help"}, new String[]{"run", "--help", "--help"}))
            assertNull(HelpScreens.helpPath(other), String.join(" ", other));
    }

    @Test
    void printWritesThePlainScreenWhenNotOnATerminalAndNothingForAnythingElse() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        assertTrue(HelpScreens.print(new String[]{"run", "io", "--help"}, out));
        assertEquals(HelpScreens.read("run io", false), bytes.toString(StandardCharsets.UTF_8));
        bytes.reset();
        assertFalse(HelpScreens.print(new String[]{"run", "io", "-n", "5", "--help"}, out));
        assertEquals(0, bytes.size(), "nothing printed when picocli is to answer");
    }
}
