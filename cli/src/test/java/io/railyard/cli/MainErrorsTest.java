package io.railyard.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.*;

/**
 * How {@link Main} reports what a command throws: only the user's errors are one line and exit 2;
 * anything else is a bug, reported with its stack trace and a request to report it (exit 1).
 */
class MainErrorsTest {

    /** A command that throws what it is told to, as a command's own code would. */
    @Command(name = "thrower")
    static final class Thrower implements Callable<Integer> {
        @Option(names = "--throw", required = true)
        String what;

        @Override
        public Integer call() {
            if (what.equals("error")) throw new ExceptionInInitializerError(new IllegalStateException("a class initializer failed"));
            if (what.equals("oom")) throw new OutOfMemoryError("Java heap space");
            throw switch (what) {
                case "user" -> new UserError("--size 12q is not a size: give e.g. --size 512m");
                case "iae" -> new IllegalArgumentException("a library's check deep inside the run");
                default -> new IllegalStateException("the pool's state went wrong\nsecond line of the message");
            };
        }
    }

    record Outcome(int code, String out, String err) {}

    private static Outcome run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(new CommandLine(new Thrower()), new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Outcome(code, out.toString(), err.toString());
    }

    @Test
    void aUserErrorIsOneLineAndExitCode2() {
        Outcome o = run("--throw", "user");
        assertEquals(2, o.code());
        assertEquals("railyard: --size 12q is not a size: give e.g. --size 512m", o.err().strip());
    }

    @Test
    void aParameterErrorIsOneLineAndExitCode2() {
        Outcome o = run("--throw", "user", "--frobnicate");
        assertEquals(2, o.code());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().contains("--frobnicate"), o.err());
    }

    @Test
    void anIllegalArgumentExceptionThatNoCommandConvertedIsABugWithItsStack() {
        Outcome o = run("--throw", "iae");
        assertEquals(1, o.code(), o.err());
        assertTrue(o.err().contains("unexpected error, a bug in railyard"), o.err());
        assertTrue(o.err().contains("java.lang.IllegalArgumentException: a library's check deep inside the run"), o.err());
        assertTrue(o.err().contains("\tat io.railyard.cli.MainErrorsTest$Thrower.call"), "the stack trace: " + o.err());
        assertTrue(o.err().strip().endsWith("at " + Main.ISSUES), "asks for a report last: " + o.err());
        assertTrue(o.err().contains("please report it"), o.err());
    }

    @Test
    void anErrorIsABugWithItsStackAndAReportRequestToo() {
        Outcome o = run("--throw", "error");
        assertEquals(1, o.code(), o.err());
        assertTrue(o.err().startsWith("railyard: thrower failed with an unexpected error, a bug in railyard:"), o.err());
        assertTrue(o.err().contains("java.lang.ExceptionInInitializerError"), o.err());
        assertTrue(o.err().contains("a class initializer failed"), "its cause: " + o.err());
        assertTrue(o.err().strip().endsWith("at " + Main.ISSUES), o.err());
    }

    @Test
    void runningOutOfMemoryIsOneLineThatSaysWhatToGive() {
        Outcome o = run("--throw", "oom");
        assertEquals(1, o.code(), o.err());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().contains("ran out of memory (Java heap space)") && o.err().contains("-Xmx"), o.err());
    }

    @Test
    void anyOtherExceptionIsABugWithItsStackAndAReportRequest() {
        Outcome o = run("--throw", "state");
        assertEquals(1, o.code(), o.err());
        assertTrue(o.err().contains("java.lang.IllegalStateException: the pool's state went wrong"), o.err());
        assertTrue(o.err().contains("second line of the message"), "the whole message, not one line: " + o.err());
        assertTrue(o.err().contains("\tat "), "a stack trace: " + o.err());
        assertTrue(o.err().contains("please report it"), o.err());
    }

    @Test
    void aBadModelOptionIsConvertedWhereTheCommandPassesIt() {
        CliTest.Outcome o = CliTest.railyard("run", "cpu", "--model", "processes", "--model-option", "maxTasksPerWorker=many", "-k", "20");
        assertEquals(2, o.code(), o.err());
        assertEquals(1, o.err().lines().count(), o.err());
        assertTrue(o.err().contains("maxTasksPerWorker=many is not a whole number"), o.err());
        o = CliTest.railyard("run", "io", "--model", "loop", "--model-option", "loop.slowCallbackMs=0", "-n", "10");
        assertEquals(2, o.code(), o.err());
        assertTrue(o.err().contains("loop.slowCallbackMs=0 must be at least 1"), o.err());
    }
}
