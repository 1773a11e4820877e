package io.railyard.cli;

import io.netty.util.internal.logging.InternalLogger;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.*;

/** Netty's logger in the commands: what reaches standard error, and what does not. */
class NettyLogTest {

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final InternalLogger log = new NettyLog(new PrintStream(bytes, true, StandardCharsets.UTF_8)).newInstance("io.netty.Example");

    private String written() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void infoWarningsAndErrorsAreOneLineEachWithTheirArgumentsFilledIn() {
        log.info("started on {}", "epoll");
        log.warn("{} of {} buffers leaked", 2, 8);
        log.error("closing {}: {} {}", "a", "b", "c");
        assertEquals("netty: INFO io.netty.Example: started on epoll\n"
                + "netty: WARN io.netty.Example: 2 of 8 buffers leaked\n"
                + "netty: ERROR io.netty.Example: closing a: b c\n", written());
    }

    @Test
    void anExceptionAfterTheArgumentsIsPrintedWithItsStackTrace() {
        log.warn("failed to close {}", "channel", new IOException("reset by peer"));
        String out = written();
        assertTrue(out.startsWith("netty: WARN io.netty.Example: failed to close channel\njava.io.IOException: reset by peer\n"), out);
        assertTrue(out.contains("\tat io.railyard.cli.NettyLogTest."), out);
    }

    @Test
    void debugAndTraceAreOff() {
        assertFalse(log.isDebugEnabled());
        assertFalse(log.isTraceEnabled());
        assertTrue(log.isWarnEnabled());
        log.debug("-Dio.netty.noUnsafe: {}", false);
        log.trace("x", new IllegalStateException());
        assertEquals("", written());
    }
}
