package io.railyard.loop;

import io.railyard.core.AsyncTask;
import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** TCP streams against a plain echo server, and file IO, all completing on the loop thread. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopTcpAndFilesTest {

    private ServerSocket echo;
    private LoopPool pool;
    private Thread loopThread;

    @TempDir
    Path dir;

    @BeforeEach
    void start() throws Exception {
        echo = new ServerSocket(0, 1000, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket s = echo.accept();
                    Thread t = new Thread(() -> serve(s));
                    t.setDaemon(true);
                    t.start();
                } catch (IOException closed) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        pool = new LoopPool(PoolSpec.of(1000).withOptions(Map.of("loop.slowCallbackMs", "200")));
        loopThread = pool.submitAsync(ctx -> CompletableFuture.completedFuture(Thread.currentThread())).get();
    }

    /** Echoes everything; the line {@code bye\n} makes it send {@code tail} and close. */
    private static void serve(Socket s) {
        try (s) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (new String(buf, 0, n, StandardCharsets.ISO_8859_1).endsWith("bye\n")) {
                    out.write("tail".getBytes(StandardCharsets.ISO_8859_1));
                    return;
                }
                out.write(buf, 0, n);
            }
        } catch (IOException gone) {
            // the client closed
        }
    }

    @AfterEach
    void stop() throws Exception {
        pool.close();
        assertNoBlockingCallOnTheLoop(pool.report());
        echo.close();
    }

    /** Blocking calls a TCP or file facility must never make on the loop thread. */
    private static final List<String> BLOCKING = List.of("java.io.File", "sun.nio.ch.FileChannelImpl", "java.lang.Thread.sleep",
            "java.util.concurrent.locks.LockSupport.park", "java.lang.Object.wait", "java.net.Socket", "sun.nio.ch.NioSocketImpl");

    /**
     * Fails when a slow callback was caught inside a blocking call. A slow callback elsewhere (the
     * machine stalled the thread inside a non-blocking syscall, seen here under heavy load) is not
     * the facility's fault; LoopMonitorTest covers the detector itself.
     */
    static void assertNoBlockingCallOnTheLoop(LoopReport report) {
        if (!report.blocked()) return;
        for (StackTraceElement e : report.worst().stack()) {
            String frame = e.getClassName() + "." + e.getMethodName();
            for (String b : BLOCKING) assertFalse(frame.startsWith(b), "the loop was blocked in " + frame + ":\n" + report);
        }
    }

    private <T> T run(AsyncTask<T> task) throws Exception {
        return pool.submitAsync(task).get(30, TimeUnit.SECONDS);
    }

    private void onLoop() {
        assertSame(loopThread, Thread.currentThread(), "a continuation ran off the loop thread");
    }

    @Test
    void echoRoundTripsWithEveryReadKind() throws Exception {
        List<String> got = run(ctx -> ctx.facility(LoopTcp.class).connect("127.0.0.1", echo.getLocalPort()).thenCompose(c -> {
            onLoop();
            List<String> out = new ArrayList<>();
            return c.write("hello\nworld".getBytes(StandardCharsets.ISO_8859_1))
                    .thenCompose(x -> c.readUntil((byte) '\n', 100))
                    .thenCompose(line -> {
                        onLoop();
                        out.add(new String(line, StandardCharsets.ISO_8859_1));
                        return c.readExactly(5);
                    })
                    .thenCompose(word -> {
                        out.add(new String(word, StandardCharsets.ISO_8859_1));
                        return c.write("bye\n".getBytes(StandardCharsets.ISO_8859_1));
                    })
                    .thenCompose(x -> c.readExactly(4))
                    .thenCompose(tail -> {
                        out.add(new String(tail, StandardCharsets.ISO_8859_1));
                        return c.read(10); // the server closed: end of stream
                    })
                    .thenApply(end -> {
                        onLoop();
                        out.add("eof=" + end.length);
                        return out;
                    });
        }));
        assertEquals(List.of("hello\n", "world", "tail", "eof=0"), got);
    }

    @Test
    void readExactlyFailsAtEndOfStream() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> run(ctx -> ctx.facility(LoopTcp.class)
                .connect("127.0.0.1", echo.getLocalPort())
                .thenCompose(c -> c.write("bye\n".getBytes(StandardCharsets.ISO_8859_1)).thenCompose(x -> c.readExactly(10)))));
        assertInstanceOf(EOFException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("after 4 of 10 bytes"), e.getCause().getMessage());
    }

    @Test
    void aLargeTransferArrivesWholeThroughFlowControl() throws Exception {
        byte[] payload = new byte[4 << 20];
        for (int i = 0; i < payload.length; i++) payload[i] = (byte) (i * 31);
        byte[] back = run(ctx -> ctx.facility(LoopTcp.class).connect("127.0.0.1", echo.getLocalPort()).thenCompose(c -> {
            CompletableFuture<Void> sent = c.write(payload);
            // read in small steps, slower than the echo arrives: the connection must pause reading
            byte[] all = new byte[payload.length];
            CompletableFuture<Integer> reading = CompletableFuture.completedFuture(0);
            for (int off = 0; off < payload.length; off += 64 << 10) {
                int at = off;
                reading = reading.thenCompose(x -> c.readExactly(64 << 10)).thenApply(chunk -> {
                    System.arraycopy(chunk, 0, all, at, chunk.length);
                    return at;
                });
            }
            return sent.thenCombine(reading, (a, b) -> {
                c.close();
                return all;
            });
        }));
        assertArrayEquals(payload, back);
    }

    @Test
    void manyConnectionsAtOnceOnOneThread() throws Exception {
        int n = 300;
        List<TaskFuture<String>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String msg = "conn-" + i + "\n";
            fs.add(pool.submitAsync(ctx -> ctx.facility(LoopTcp.class).connect("127.0.0.1", echo.getLocalPort())
                    .thenCompose(c -> c.write(msg.getBytes(StandardCharsets.ISO_8859_1))
                            .thenCompose(x -> c.readUntil((byte) '\n', 64))
                            .thenCompose(line -> c.close().thenApply(x -> new String(line, StandardCharsets.ISO_8859_1))))));
        }
        for (int i = 0; i < n; i++) assertEquals("conn-" + i + "\n", fs.get(i).get(30, TimeUnit.SECONDS));
    }

    @Test
    void connectRefusedIsAConnectException() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        ExecutionException e = assertThrows(ExecutionException.class, () -> run(ctx -> ctx.facility(LoopTcp.class).connect("127.0.0.1", port)));
        assertInstanceOf(java.net.ConnectException.class, e.getCause());
    }

    @Test
    void filesAreReadAndWrittenOffTheLoop() throws Exception {
        Path f = dir.resolve("data.txt");
        String text = run(ctx -> {
            LoopFiles files = ctx.facility(LoopFiles.class);
            return files.writeString(f, "first line\n")
                    .thenCompose(x -> {
                        onLoop();
                        return files.append(f, "second line\n".getBytes(StandardCharsets.UTF_8));
                    })
                    .thenCompose(x -> files.readString(f))
                    .thenApply(s -> {
                        onLoop();
                        return s;
                    });
        });
        assertEquals("first line\nsecond line\n", text);
        byte[] big = new byte[3 << 20];
        Arrays.fill(big, (byte) 7);
        Path g = dir.resolve("big.bin");
        byte[] back = run(ctx -> ctx.facility(LoopFiles.class).write(g, big).thenCompose(x -> ctx.facility(LoopFiles.class).read(g)));
        assertArrayEquals(big, back);
        try (var s = Files.list(dir)) {
            assertEquals(2, s.count(), "no temporary file left behind");
        }
        ExecutionException e = assertThrows(ExecutionException.class, () -> run(ctx -> ctx.facility(LoopFiles.class).read(dir.resolve("missing"))));
        assertInstanceOf(java.nio.file.NoSuchFileException.class, e.getCause());
    }
}
