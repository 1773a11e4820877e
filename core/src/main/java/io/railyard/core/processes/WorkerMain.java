package io.railyard.core.processes;

import io.railyard.core.AsyncTask;
import io.railyard.core.BlockingTask;
import io.railyard.core.pool.InlineTaskContext;
import io.railyard.core.probe.Liveness;
import io.railyard.core.processes.Frame.Failure;
import io.railyard.core.processes.Frame.Init;
import io.railyard.core.processes.Frame.Ready;
import io.railyard.core.processes.Frame.Result;
import io.railyard.core.processes.Frame.Shutdown;
import io.railyard.core.processes.Frame.Task;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * The main class of a worker process of a {@link ProcessPool}. The pool starts it as
 * {@code java <flags> -cp <the parent's classpath> io.railyard.core.processes.WorkerMain
 * <socket> <workerIndex> <maxFrameBytes> <parentPid>}.
 *
 * <p>It connects to the pool's Unix-domain socket, reads {@link Init}, runs the initializer,
 * answers {@link Ready}, then runs one {@link Task} at a time on its main thread and answers each
 * with a {@link Result} or a {@link Failure}. Frames travel on the socket only, so whatever a task
 * prints (on stdout or stderr, from Java, native code or a child process) goes to the pipe the pool
 * forwards with a prefix and can never corrupt a frame.
 *
 * <p>It ends on {@link Shutdown} (exit 0), when the socket reaches end of stream (the pool or the
 * parent JVM is gone: exit 0), or when a watcher thread finds its parent process gone, maybe while
 * a task runs (halt with status 1). The watcher polls the parent's {@link ProcessHandle} (pid and
 * start time, so a reused pid is not mistaken for the parent; a dead parent nobody has reaped yet
 * counts as gone, {@link Liveness}) rather than blocking on a pipe: at
 * exit HotSpot waits ~300 ms for any thread blocked in native code, which every worker exit would
 * pay. Threads: the main thread owns the socket and runs the tasks; the daemon watcher sleeps and
 * polls; another daemon builds the CPU clock (JMX costs ~20 ms of class loading) while the worker
 * connects, so it is off the path to Ready.
 *
 * <p>The start-up path avoids lambdas and pattern switches: each first use of one costs a
 * bootstrap of several milliseconds, and start-up time is what a worker JVM pays per spawn.
 */
public final class WorkerMain {
    private final int index;
    private final FrameReader in;
    private final FrameWriter out;
    private final CpuClock cpu;
    private PayloadCodec codec;

    private WorkerMain(int index, SocketChannel channel, int maxFrameBytes, CpuClock cpu) {
        this.index = index;
        this.cpu = cpu;
        this.in = new FrameReader(channel, maxFrameBytes);
        this.out = new FrameWriter(channel, maxFrameBytes);
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: WorkerMain <socket> <workerIndex> <maxFrameBytes> <parentPid> (started by a processes pool, not by hand)");
            System.exit(2);
        }
        new ParentWatch(Long.parseLong(args[3])).start();
        CpuClock cpu = new CpuClock();
        cpu.start();
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(args[0]));
            new WorkerMain(Integer.parseInt(args[1]), channel, Integer.parseInt(args[2]), cpu).serve();
        } catch (IOException e) {
            // the pool is gone (or never reached): there is nobody to answer
            System.err.println("worker " + args[1] + " lost its pool: " + e);
        }
        System.exit(0);
    }

    /** Halts the worker when the parent process that started it is gone. */
    private static final class ParentWatch extends Thread {
        private static final long POLL_MILLIS = 200;
        private final long parentPid;

        ParentWatch(long parentPid) {
            super("railyard-parent-watch");
            this.parentPid = parentPid;
            setDaemon(true);
        }

        @Override
        public void run() {
            Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
            while (parent.isPresent() && Liveness.running(parent.get())) {
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
            Runtime.getRuntime().halt(1);
        }
    }

    /** The task thread's CPU time; the JMX bean is built on this thread, off the start-up path. */
    private static final class CpuClock extends Thread {
        private ThreadMXBean bean;

        CpuClock() {
            super("railyard-cpu-clock");
            setDaemon(true);
        }

        @Override
        public void run() {
            bean = ManagementFactory.getThreadMXBean();
        }

        /** Nanoseconds of CPU of the calling thread; waits for the bean the first time. */
        long now() {
            if (bean == null) {
                try {
                    join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return 0;
                }
            }
            return bean.getCurrentThreadCpuTime();
        }
    }

    private void serve() throws IOException {
        if (!(in.read() instanceof Init init)) throw new FrameException("the first frame from the pool is not Init");
        codec = PayloadCodec.create(init.codec(), AllowList.of(init.allow()));
        if (init.initializer().length > 0) {
            try {
                ((BlockingTask<?>) codec.decode(init.initializer())).call();
            } catch (Throwable t) {
                out.write(failure(-1, 0, t));
                return;
            }
        }
        out.write(new Ready(ProcessHandle.current().pid()));
        while (true) {
            Frame f = in.read();
            if (f instanceof Task t) answer(t);
            else if (f == null || f instanceof Shutdown) return;
            else throw new FrameException("unexpected " + f.getClass().getSimpleName() + " frame from the pool");
        }
    }

    private void answer(Task t) throws IOException {
        long cpu0 = cpu.now();
        Object value;
        try {
            value = run(codec.decode(t.payload()), t.taskId());
        } catch (Throwable e) {
            reply(failure(t.taskId(), cpu.now() - cpu0, e));
            return;
        }
        long used = cpu.now() - cpu0;
        byte[] encoded;
        try {
            encoded = codec.encode(value);
        } catch (NotEncodableException e) {
            reply(failure(t.taskId(), used, new NotEncodableException("the result of task " + t.taskId()
                    + " (" + className(value) + ") cannot be sent back: " + e.getMessage())));
            return;
        }
        reply(new Result(t.taskId(), used, encoded));
    }

    /** Sends an answer; one too large for a frame fails its task with a small Failure instead. */
    private void reply(Frame answer) throws IOException {
        try {
            out.write(answer);
        } catch (FrameException tooLarge) {
            long id = answer instanceof Result r ? r.taskId() : ((Failure) answer).taskId();
            long used = answer instanceof Result r ? r.cpuNanos() : ((Failure) answer).cpuNanos();
            NotEncodableException e = new NotEncodableException("the answer to task " + id + " cannot be sent back: " + tooLarge.getMessage());
            e.setStackTrace(new StackTraceElement[0]);
            out.write(failure(id, used, e));
        }
    }

    private Object run(Object task, long taskId) throws Exception {
        return new InlineTaskContext("processes", taskId, index).run(task);
    }

    /** A failure frame; the exception itself travels too when it can be encoded. */
    private Failure failure(long taskId, long cpuNanos, Throwable t) {
        byte[] encoded;
        try {
            encoded = codec == null ? new byte[0] : codec.encode(t);
        } catch (NotEncodableException e) {
            encoded = new byte[0]; // the description (ErrorInfo) still tells the parent what happened
        }
        return new Failure(taskId, cpuNanos, ErrorInfo.of(t), encoded);
    }

    private static String className(Object o) {
        return o == null ? "null" : o.getClass().getName();
    }
}
