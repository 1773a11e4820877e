package io.railyard.core.processes;

import io.railyard.core.codec.PayloadCodec;
import io.railyard.core.pool.RemoteQueue;
import io.railyard.core.pool.TaskRun;
import io.railyard.core.processes.Frame.Failure;
import io.railyard.core.processes.Frame.Shutdown;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One worker process as the parent sees it: the process, its two pipes with the frame reader and
 * writer, the thread that forwards its output, and the task it runs. A replacement is a new
 * {@code Worker} in the same slot (same index).
 *
 * <p>Thread-safety: {@link #read} is called by the worker's slot thread only; {@link #send} by
 * whichever thread hands it a task (serialized by the writer); {@link #kill} from any thread.
 * {@link #inFlight} and {@link #gone} are guarded by the owning pool's lock; {@link #tasksDone} is
 * the slot thread's.
 */
final class Worker {
    final int index;
    final Process process;
    final long pid;
    /** From spawn to Ready, in nanoseconds. */
    final long startupNanos;
    private final FileChannel in;
    private final FileChannel out;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final Output output;
    private volatile boolean killed;

    /** The task sent to this worker and not yet answered; guarded by the pool's lock. */
    TaskRun<?> inFlight;
    /** The worker's stream ended: it takes no more tasks; guarded by the pool's lock. */
    boolean gone;
    /** Tasks answered; slot thread only. */
    int tasksDone;

    Worker(int index, Process process, FileChannel in, FileChannel out, FrameReader reader, FrameWriter writer, Output output, long startupNanos) {
        this.index = index;
        this.process = process;
        this.pid = process.pid();
        this.in = in;
        this.out = out;
        this.reader = reader;
        this.writer = writer;
        this.output = output;
        this.startupNanos = startupNanos;
    }

    /** The next frame from the worker, or {@code null} when its stream ended (it exited or was killed). */
    Frame read() throws IOException {
        return reader.read();
    }

    void send(Frame frame) throws IOException {
        writer.write(frame);
    }

    /** Asks the worker to exit once idle; kills it if it cannot be told. */
    void shutdown() {
        try {
            send(new Shutdown());
        } catch (IOException e) {
            kill();
        }
    }

    /** SIGKILL: for a timed-out or cancelled task, or a worker that broke the protocol. */
    void kill() {
        killed = true;
        WorkerLauncher.kill(process);
    }

    /** True if this worker records the AOT cache: its JVM assembles the cache after its pipes close. */
    boolean trainsAotCache() {
        return output.aotTraining;
    }

    /** True if the pool killed this worker on purpose, so its end is no surprise worth logging. */
    boolean killedOnPurpose() {
        return killed;
    }

    /** Waits for the process to exit (killing it after {@code patience}); its exit status, or -1. */
    int awaitExit(Duration patience) {
        try {
            if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
                if (!process.waitFor(5, TimeUnit.SECONDS)) return -1;
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    void closeChannel() {
        for (FileChannel pipe : new FileChannel[] {in, out}) {
            try {
                pipe.close();
            } catch (IOException ignored) {
                // closing a pipe whose other end is gone: nothing to report
            }
        }
    }

    /** The last lines the worker printed, for error messages; waits briefly for the output to end. */
    String lastOutput() {
        return output.last(Duration.ofMillis(500));
    }

    /** The exception a {@link Failure} carries: the original if it decodes, else a remote copy. */
    static Throwable exception(PayloadCodec codec, Failure failure) {
        Throwable original = RemoteQueue.throwable(codec, failure.exception());
        return original != null ? original : failure.error().toRemoteException();
    }

    @Override
    public String toString() {
        return "worker " + index + " (pid " + pid + ")";
    }

    /**
     * Forwards a worker's stdout and stderr (one merged pipe) to this JVM's stderr, each line
     * prefixed with {@code [worker N pid P]}, and keeps the last few lines for error messages.
     * Lines longer than {@link #MAX_LINE} characters are split so a task printing without newlines
     * cannot grow memory. One daemon thread per worker process; it ends with the pipe.
     */
    static final class Output extends Thread {
        static final int MAX_LINE = 8192, KEEP = 5;
        private final Reader in;
        private final String prefix;
        private final ArrayDeque<String> last = new ArrayDeque<>(); // guarded by itself

        /**
         * What the JVM prints, unasked, when it writes an AOT cache at exit ({@code -Xlog:aot*=off}
         * does not silence it): a training worker's report of its own start-up cache, not the user's output.
         */
        private static final List<String> AOT_TRAINING_CHATTER = List.of("Temporary AOTConfiguration recorded: ",
                "Launching child process ", "Picked up JAVA_TOOL_OPTIONS: ", "Reading AOTConfiguration ",
                "AOTCache creation is complete: ", "Removed temporary AOT configuration file ");

        private final boolean aotTraining;

        Output(Process process, int index, boolean aotTraining) {
            super(null, null, "railyard-worker-" + index + "-output", 256 * 1024);
            this.in = new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8);
            this.prefix = "[worker " + index + " pid " + process.pid() + "] ";
            this.aotTraining = aotTraining;
            setDaemon(true);
        }

        @Override
        public void run() {
            StringBuilder line = new StringBuilder();
            char[] buf = new char[4096];
            try (in) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    for (int i = 0; i < n; i++) {
                        char c = buf[i];
                        if (c == '\n' || line.length() >= MAX_LINE) {
                            emit(line);
                            if (c == '\n') continue;
                        }
                        line.append(c);
                    }
                }
            } catch (IOException ignored) {
                // the pipe closed under us: the process is gone
            }
            if (!line.isEmpty()) emit(line);
        }

        private void emit(StringBuilder line) {
            String s = line.toString();
            line.setLength(0);
            if (aotTraining && isAotTrainingChatter(s)) return;
            synchronized (last) {
                if (last.size() == KEEP) last.removeFirst();
                last.addLast(s);
            }
            System.err.println(prefix + s);
        }

        static boolean isAotTrainingChatter(String line) {
            for (String start : AOT_TRAINING_CHATTER)
                if (line.startsWith(start) && (line.contains("AOT") || line.contains(".aot"))) return true;
            return false;
        }

        String last(Duration wait) {
            try {
                join(wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (last) {
                return String.join(" | ", last);
            }
        }
    }
}
