package io.railyard.bench.examples;

import io.railyard.bench.compare.PythonModels;
import io.railyard.core.Models;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The scanner behind the Code Complexity and Package rows, on sources written here and on the shipped examples. */
class ExampleSourcesTest {

    @Test
    void javaLinesLeaveOutBlankLinesAndEveryKindOfComment() {
        String src = """
                package a;
                // a line comment
                /** a doc
                 * comment */
                class A { /* inline */ int x; // trailing
                    /* two
                       lines */ int y;

                }
                """;
        ExampleSources.Example e = ExampleSources.scan("threads", "java", "A.java", src);
        assertEquals(List.of("package a;", "class A {  int x;", "int y;", "}"), ExampleSources.javaCode(src));
        assertEquals(4, e.lines());
        assertEquals(List.of(), e.concepts());
    }

    @Test
    void pythonLinesLeaveOutCommentsAndDocstrings() {
        String src = "\"\"\"module\ndocstring\"\"\"\nimport sys\nimport asyncio\n# comment\n\ndef f():\n    \"\"\"one line\"\"\"\n    await x\n";
        ExampleSources.Example e = ExampleSources.scan("asyncio", "python", "x.py", src);
        assertEquals(List.of("import sys", "import asyncio", "def f():", "await x"), ExampleSources.pythonCode(src));
        assertEquals(List.of("non-blocking calls"), e.concepts());
        assertEquals(List.of("asyncio"), e.imports(), "sys only reads the command line");
    }

    @Test
    void aConceptInACommentDoesNotCount() {
        ExampleSources.Example e = ExampleSources.scan("threads", "java", "A.java", "// synchronized\n/* Lock */ class A {}\n");
        assertEquals(List.of(), e.concepts());
        assertEquals(1, e.lines());
    }

    @Test
    void everyModelHasAnExampleAndItsConceptsAreTheOnesItsApiNeeds() {
        for (String m : Models.names()) assertNotNull(ExampleSources.of(m, "java"), "an example for " + m);
        for (String m : PythonModels.MODELS) assertNotNull(ExampleSources.of(m, "python"), "an example for " + m);
        assertEquals(List.of("lock"), ExampleSources.of("threads", "java").concepts());
        assertEquals(List.of("lock"), ExampleSources.of("virtual", "java").concepts());
        assertEquals(List.of("IPC / serialisation"), ExampleSources.of("processes", "java").concepts());
        assertEquals(List.of("non-blocking calls"), ExampleSources.of("loop", "java").concepts());
        assertEquals(List.of("lock"), ExampleSources.of("threading", "python").concepts());
        assertEquals(List.of("IPC / serialisation"), ExampleSources.of("multiprocessing", "python").concepts());
        assertEquals(List.of("semaphore", "non-blocking calls"), ExampleSources.of("asyncio", "python").concepts());
        assertTrue(ExampleSources.of("threads", "java").imports().contains("ThreadsPool"));
        assertTrue(ExampleSources.of("multiprocessing", "python").imports().contains("multiprocessing"));
        for (String m : Models.names()) {
            ExampleSources.Example e = ExampleSources.of(m, "java");
            assertTrue(e.lines() > 10 && e.lines() < e.source().split("\n").length, m + ": " + e.lines() + " lines of code");
        }
    }
}
