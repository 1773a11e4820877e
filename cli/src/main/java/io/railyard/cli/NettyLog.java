package io.railyard.cli;

import io.netty.util.internal.logging.AbstractInternalLogger;
import io.netty.util.internal.logging.FormattingTuple;
import io.netty.util.internal.logging.InternalLogger;
import io.netty.util.internal.logging.InternalLoggerFactory;
import io.netty.util.internal.logging.MessageFormatter;

import java.io.PrintStream;

/**
 * Netty's logger in railyard's commands: info, warnings and errors one line each on standard error
 * ({@code netty: WARN <logger>: <message>}, then the stack trace of an exception), debug and trace
 * off, as {@code java.util.logging}'s default console would show them.
 *
 * <p>Why not {@code java.util.logging} itself, where Netty's own search lands: that search tries
 * slf4j (refusing its no-op binding), Log4j 2 and Log4j first, and starting {@code java.util.logging}
 * asks the service loader for a {@code System.LoggerFinder}. Each search opens every jar of the class
 * path: ~27 ms of every command that starts Netty (docs/startup.md). {@link Main} sets this factory
 * before any Netty class logs ({@link #install}).
 *
 * <p>Thread-safe: each line is written with one {@code println}.
 */
final class NettyLog extends InternalLoggerFactory {

    /**
     * Makes Netty log through this factory, lines going to {@code System.err} as it is when each is
     * written. A method rather than {@code setDefaultFactory} in {@code Main}: there, verifying
     * {@code Main} would load this class and Netty's to check the argument's type, for
     * {@code --version} too.
     */
    static void install() {
        InternalLoggerFactory.setDefaultFactory(new NettyLog(null));
    }

    private final PrintStream out;

    /** {@code out}: where lines go; null for {@code System.err} at the time of each line. */
    NettyLog(PrintStream out) {
        this.out = out;
    }

    @Override
    protected InternalLogger newInstance(String name) {
        return new Logger(name, out);
    }

    static final class Logger extends AbstractInternalLogger {
        private static final long serialVersionUID = 1L;
        private final transient PrintStream out;

        Logger(String name, PrintStream out) {
            super(name);
            this.out = out;
        }

        private void write(String level, String message, Throwable t) {
            PrintStream to = out != null ? out : System.err;
            to.println("netty: " + level + " " + name() + ": " + message);
            if (t != null) t.printStackTrace(to);
        }

        private void write(String level, FormattingTuple m) {
            write(level, m.getMessage(), m.getThrowable());
        }

        // trace and debug: off
        @Override public boolean isTraceEnabled() { return false; }
        @Override public void trace(String msg) {}
        @Override public void trace(String format, Object arg) {}
        @Override public void trace(String format, Object argA, Object argB) {}
        @Override public void trace(String format, Object... arguments) {}
        @Override public void trace(String msg, Throwable t) {}
        @Override public boolean isDebugEnabled() { return false; }
        @Override public void debug(String msg) {}
        @Override public void debug(String format, Object arg) {}
        @Override public void debug(String format, Object argA, Object argB) {}
        @Override public void debug(String format, Object... arguments) {}
        @Override public void debug(String msg, Throwable t) {}

        @Override public boolean isInfoEnabled() { return true; }
        @Override public void info(String msg) { write("INFO", msg, null); }
        @Override public void info(String format, Object arg) { write("INFO", MessageFormatter.format(format, arg)); }
        @Override public void info(String format, Object argA, Object argB) { write("INFO", MessageFormatter.format(format, argA, argB)); }
        @Override public void info(String format, Object... arguments) { write("INFO", MessageFormatter.arrayFormat(format, arguments)); }
        @Override public void info(String msg, Throwable t) { write("INFO", msg, t); }

        @Override public boolean isWarnEnabled() { return true; }
        @Override public void warn(String msg) { write("WARN", msg, null); }
        @Override public void warn(String format, Object arg) { write("WARN", MessageFormatter.format(format, arg)); }
        @Override public void warn(String format, Object argA, Object argB) { write("WARN", MessageFormatter.format(format, argA, argB)); }
        @Override public void warn(String format, Object... arguments) { write("WARN", MessageFormatter.arrayFormat(format, arguments)); }
        @Override public void warn(String msg, Throwable t) { write("WARN", msg, t); }

        @Override public boolean isErrorEnabled() { return true; }
        @Override public void error(String msg) { write("ERROR", msg, null); }
        @Override public void error(String format, Object arg) { write("ERROR", MessageFormatter.format(format, arg)); }
        @Override public void error(String format, Object argA, Object argB) { write("ERROR", MessageFormatter.format(format, argA, argB)); }
        @Override public void error(String format, Object... arguments) { write("ERROR", MessageFormatter.arrayFormat(format, arguments)); }
        @Override public void error(String msg, Throwable t) { write("ERROR", msg, t); }
    }
}
