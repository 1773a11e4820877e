package io.railyard.core.processes;

import io.railyard.core.AsyncTask;
import io.railyard.core.BlockingTask;
import io.railyard.core.TaskContext;
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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;

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
 * parent JVM is gone: exit 0), or when a watcher thread sees that its parent process has changed
 * (the parent died while a task was running: halt with status 1). Threads: the main thread owns the
 * socket; the daemon watcher only reads the parent's pid.
 */
public final class WorkerMain {
    private static final long PARENT_POLL_MILLIS = 500;

    private final int index;
    private final FrameReader in;
    private final FrameWriter out;
    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private PayloadCodec codec;

    private WorkerMain(int index, SocketChannel channel, int maxFrameBytes) {
        this.index = index;
        this.in = new FrameReader(channel, maxFrameBytes);
        this.out = new FrameWriter(channel, maxFrameBytes);
    }

    public static void main(String[] args) {
        if (args.length != 4) {
            System.err.println("usage: WorkerMain <socket> <workerIndex> <maxFrameBytes> <parentPid> (started by a processes pool, not by hand)");
            System.exit(2);
        }
        watchParent(Long.parseLong(args[3]));
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(args[0]));
            new WorkerMain(Integer.parseInt(args[1]), channel, Integer.parseInt(args[2])).serve();
        } catch (IOException e) {
            // the pool is gone (or never reached): there is nobody to answer
            System.err.println("worker " + args[1] + " lost its pool: " + e);
        }
        System.exit(0);
    }

    /** Halts the worker when its parent process is no longer the one that started it. */
    private static void watchParent(long parentPid) {
        Thread watcher = new Thread(() -> {
            while (true) {
                long now = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
                if (now != parentPid) Runtime.getRuntime().halt(1); // reparented: the parent died
                try {
                    Thread.sleep(PARENT_POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "railyard-parent-watch");
        watcher.setDaemon(true);
        watcher.start();
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
            switch (in.read()) {
                case Task t -> answer(t);
                case Shutdown s -> {
                    return;
                }
                case null -> {
                    return;
                }
                default -> throw new FrameException("unexpected frame from the pool");
            }
        }
    }

    private void answer(Task t) throws IOException {
        long cpu0 = threads.getCurrentThreadCpuTime();
        Object value;
        try {
            value = run(codec.decode(t.payload()), t.taskId());
        } catch (Throwable e) {
            out.write(failure(t.taskId(), threads.getCurrentThreadCpuTime() - cpu0, e));
            return;
        }
        long cpu = threads.getCurrentThreadCpuTime() - cpu0;
        try {
            out.write(new Result(t.taskId(), cpu, codec.encode(value)));
        } catch (NotEncodableException e) {
            out.write(failure(t.taskId(), cpu, new NotEncodableException("the result of task " + t.taskId()
                    + " (" + className(value) + ") cannot be sent back: " + e.getMessage())));
        } catch (FrameException e) {
            out.write(failure(t.taskId(), cpu, new NotEncodableException("the result of task " + t.taskId()
                    + " (" + className(value) + ") cannot be sent back: " + e.getMessage())));
        }
    }

    private Object run(Object task, long taskId) throws Exception {
        if (task instanceof BlockingTask<?> b) return b.call();
        if (task instanceof AsyncTask<?> a) {
            CompletionStage<?> stage = a.start(new Context(taskId, index));
            if (stage == null) throw new NullPointerException("AsyncTask.start returned null instead of a stage");
            try {
                return stage.toCompletableFuture().get();
            } catch (ExecutionException e) {
                if (e.getCause() instanceof Exception ex) throw ex;
                if (e.getCause() instanceof Error err) throw err;
                throw e;
            }
        }
        throw new IllegalArgumentException("a " + className(task) + " is not a BlockingTask or an AsyncTask");
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

    /** What a task running in a worker may ask: its id and worker; continuations run inline. */
    private record Context(long taskId, int worker) implements TaskContext {
        @Override
        public Executor executor() {
            return Runnable::run;
        }

        @Override
        public <F> F facility(Class<F> type) {
            throw new IllegalStateException("the processes model offers no " + type.getSimpleName()
                    + " to tasks; run this task on a model that does (e.g. loop)");
        }
    }
}
