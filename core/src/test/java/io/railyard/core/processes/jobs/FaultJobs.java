package io.railyard.core.processes.jobs;

import io.railyard.core.BlockingTask;
import io.railyard.core.TaskFunction;

import io.railyard.core.processes.jobs.secret.Secret;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Jobs for the processes tests. They run in worker JVMs and talk to the test through files; the
 * tests admit this package with pool option {@code allow=io.railyard.core.processes.jobs.*}.
 */
public final class FaultJobs {
    private FaultJobs() {}

    /** The package pattern the tests add to the allow-list. */
    public static final String ALLOW = "io.railyard.core.processes.jobs.*";

    /** Returns the pid of the worker that ran it. */
    public record Pid() implements BlockingTask<Long> {
        @Override
        public Long call() {
            return ProcessHandle.current().pid();
        }
    }

    /**
     * The worker JVM's own flags, then the lines of {@code /proc/self/maps} that map its class
     * archive (the JDK's CDS archive or an AOT cache).
     */
    public record JvmFlagsAndArchive() implements BlockingTask<java.util.ArrayList<String>> {
        @Override
        public java.util.ArrayList<String> call() throws IOException {
            java.util.ArrayList<String> out = new java.util.ArrayList<>(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
            for (String line : Files.readAllLines(Path.of("/proc/self/maps")))
                if (line.endsWith(".jsa") || line.endsWith(".aot")) out.add(line);
            return out;
        }
    }

    /** Starts a non-daemon thread that never ends (it would keep a JVM alive), and returns. */
    public record LeaveThread() implements BlockingTask<String> {
        @Override
        public String call() {
            Thread t = new Thread(() -> {
                try {
                    Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                    // ends with its JVM
                }
            }, "left-behind");
            t.setDaemon(false);
            t.start();
            return "left";
        }
    }

    /** Returns {@code value}. */
    public record Echo<T extends Serializable>(T value) implements BlockingTask<T> {
        @Override
        public T call() {
            return value;
        }
    }

    /** Returns its input: the tiny task of the benchmarks. */
    public record Identity() implements TaskFunction<Integer, Integer> {
        @Override
        public Integer apply(Integer x) {
            return x;
        }
    }

    /**
     * Writes its worker's pid to {@code started-NAME}, then waits until file {@code release}
     * exists (ignoring interrupts: only killing its process stops it early), then returns NAME.
     */
    public record Hold(String dir, String name) implements BlockingTask<String> {
        @Override
        public String call() {
            write(Path.of(dir, "started-" + name), Long.toString(ProcessHandle.current().pid()));
            while (!Files.exists(Path.of(dir, "release"))) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException ignored) {
                    // a worker's task is stopped by killing the process, never by an interrupt
                }
            }
            return name;
        }
    }

    /** Sleeps {@code millis}, creates {@code done-ID}, returns ID: many of these race a kill. */
    public record Work(String dir, int id, long millis) implements BlockingTask<Integer> {
        @Override
        public Integer call() throws InterruptedException {
            Thread.sleep(millis);
            write(Path.of(dir, "done-" + id), "");
            return id;
        }
    }

    /** Calls {@code System.exit(status)}. */
    public record Exit(int status) implements BlockingTask<String> {
        @Override
        public String call() {
            System.exit(status);
            return "unreachable";
        }
    }

    /** Throws {@code IllegalStateException(message)}: a JDK class, so it comes back as itself. */
    public record ThrowJdk(String message) implements BlockingTask<String> {
        @Override
        public String call() {
            throw new IllegalStateException(message, new java.io.IOException("the cause"));
        }
    }

    /** Throws a {@link Secret.SecretException}: not on the tests' allow-list, so it comes back as a RemoteException. */
    public record ThrowSecret(String message) implements BlockingTask<String> {
        @Override
        public String call() {
            throw new Secret.SecretException(message);
        }
    }

    /** Returns an object that is not Serializable. */
    public record ReturnUnserializable() implements BlockingTask<Object> {
        @Override
        public Object call() {
            return new Thread("not serializable");
        }
    }

    /** Returns a Serializable object of a class that is not on the allow-list. */
    public record ReturnSecret() implements BlockingTask<Object> {
        @Override
        public Object call() {
            return new Secret.Value("classified");
        }
    }

    /** Returns {@code size} bytes: a result larger than a small frame limit. */
    public record Big(int size) implements BlockingTask<byte[]> {
        @Override
        public byte[] call() {
            return new byte[size];
        }
    }

    /** Spins forever, ignoring interrupts: only a kill stops it. */
    public record Spin(String dir) implements BlockingTask<String> {
        @Override
        public String call() {
            write(Path.of(dir, "spinning"), Long.toString(ProcessHandle.current().pid()));
            long x = 0;
            while (x >= 0) x = (x + 1) & 0xffff;
            return "unreachable";
        }
    }

    /** Prints to stdout and stderr, also from a child process, then returns {@code value}. */
    public record Chatty(String value) implements BlockingTask<String> {
        @Override
        public String call() throws Exception {
            System.out.println("hello from the task on stdout");
            System.err.println("hello from the task on stderr");
            System.out.print("a line without its newline, then a frame-like header: \u0000\u0000\u0000\u0005");
            System.out.println();
            new ProcessBuilder("echo", "hello from a child process").inheritIO().start().waitFor();
            return value;
        }
    }

    /** The worker initializer: records that it ran in this worker, once, before any task. */
    public record Init(String dir) implements BlockingTask<Void> {
        public static volatile String state = "not initialized";

        @Override
        public Void call() throws IOException {
            long pid = ProcessHandle.current().pid();
            Files.writeString(Path.of(dir, "init-" + pid), "", java.nio.file.StandardOpenOption.CREATE_NEW);
            state = "initialized in " + pid;
            return null;
        }
    }

    /** Returns what the initializer left in this worker. */
    public record InitState() implements BlockingTask<String> {
        @Override
        public String call() {
            return Init.state;
        }
    }

    /** An initializer that fails. */
    /** An initializer that never ends: the worker never becomes ready. */
    public record HangInit() implements BlockingTask<Void> {
        @Override
        public Void call() throws InterruptedException {
            Thread.sleep(Long.MAX_VALUE);
            return null;
        }
    }

    public record BadInit() implements BlockingTask<Void> {
        @Override
        public Void call() {
            throw new IllegalStateException("the initializer refuses");
        }
    }

    /**
     * Takes {@code decodeMillis} to decode (its readObject sleeps) and returns the worker's
     * {@link System#nanoTime()} when its code began: submit-to-start must count the decoding, which
     * happens in the worker before the task's code begins, and end before that reading.
     */
    public static final class SlowToDecode implements BlockingTask<Long>, Serializable {
        private static final long serialVersionUID = 1L;
        private final long decodeMillis;

        public SlowToDecode(long decodeMillis) {
            this.decodeMillis = decodeMillis;
        }

        private void readObject(java.io.ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            try {
                Thread.sleep(decodeMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public Long call() {
            return System.nanoTime();
        }
    }

    /**
     * Writes the file whole or not at all (a temporary file moved into place): a test that waits
     * for the file to exist then reads it must never read it half-written (empty).
     */
    static void write(Path p, String content) {
        try {
            // named apart, so that a test counting files by prefix never counts one being written
            Path tmp = p.resolveSibling(".tmp-" + ProcessHandle.current().pid() + "-" + Thread.currentThread().threadId() + "-" + p.getFileName());
            Files.writeString(tmp, content);
            Files.move(tmp, p, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
