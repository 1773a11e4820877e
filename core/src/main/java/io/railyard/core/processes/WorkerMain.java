package io.railyard.core.processes;

import io.railyard.core.codec.NotEncodableException;
import io.railyard.core.codec.PayloadCodec;
import io.railyard.core.codec.AllowList;
import io.railyard.core.AsyncTask;
import io.railyard.core.BlockingTask;
import io.railyard.core.pool.InlineTaskContext;
import io.railyard.core.probe.Liveness;
import io.railyard.core.processes.Frame.ClockCheck;
import io.railyard.core.processes.Frame.ClockReading;
import io.railyard.core.processes.Frame.Failure;
import io.railyard.core.processes.Frame.Init;
import io.railyard.core.processes.Frame.Ready;
import io.railyard.core.processes.Frame.Result;
import io.railyard.core.processes.Frame.Shutdown;
import io.railyard.core.processes.Frame.Task;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * The main class of a worker process of a {@link ProcessPool}. The pool starts it as
 * {@code java <flags> -cp <the parent's classpath> io.railyard.core.processes.WorkerMain
 * <toWorker> <fromWorker> <workerIndex> <maxFrameBytes> <parentPid>}, where the first two are the
 * named pipes (FIFOs) the pool made for it: frames from the pool, frames to the pool.
 *
 * <p>It opens the pipes, reads {@link Init}, runs the initializer, answers {@link Ready}, then runs
 * one {@link Task} at a time on its main thread and answers each with a {@link Result} or a
 * {@link Failure}. Frames travel on those pipes only, which nothing else in this JVM or its
 * children inherits, so whatever a task prints (on stdout or stderr, from Java, native code or a
 * child process) goes to the pipe the pool forwards with a prefix and can never corrupt a frame.
 * Plain file streams open them: a socket would cost a fresh JVM ~25 ms of CPU for the JDK's
 * network set-up (a Unix-domain socket seeds a {@code SecureRandom}, which loads the security
 * providers), measured, a fifth of a worker's whole start-up.
 *
 * <p>It ends on {@link Shutdown} (exit 0), when the pipe from the pool reaches end of stream (the
 * pool or the parent JVM is gone: exit 0; by returning from {@code main} unless a task left a
 * non-daemon thread running, then by {@code System.exit}), or when a watcher thread finds its parent
 * process gone, maybe while a task runs (halt with status 1). The watcher polls this process's
 * parent pid ({@link Liveness#parentPid}: the kernel re-parents a child the moment its parent
 * exits, zombie or not) rather than blocking on a pipe: at exit HotSpot waits ~300 ms for any thread
 * blocked in native code, which every worker exit would pay. Threads: the main thread owns the
 * pipes and runs the tasks; the daemon watcher sleeps and polls; another daemon builds the CPU clock
 * (JMX costs ~5 ms of start-up) while the worker reads Init, so it is off the path to Ready.
 *
 * <p>Submit-to-start ends where the task's code begins, so the worker stamps that moment itself
 * ({@link Result#startNanos()}) with {@link System#nanoTime()}: on Linux, CLOCK_MONOTONIC, one
 * clock for every process of the machine, so the pool compares the stamp with its own readings as
 * they are. That assumption is checked: the pool's first frame after {@link Ready} is a
 * {@link ClockCheck}, answered at once with a {@link ClockReading} that must fall inside the
 * pool's round trip (see {@link Worker#clockRead}).
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

    private WorkerMain(int index, ReadableByteChannel from, WritableByteChannel to, int maxFrameBytes, CpuClock cpu) {
        this.index = index;
        this.cpu = cpu;
        this.in = new FrameReader(from, maxFrameBytes);
        this.out = new FrameWriter(to, maxFrameBytes);
    }

    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: WorkerMain <toWorker> <fromWorker> <workerIndex> <maxFrameBytes> <parentPid>"
                    + " (started by a processes pool, not by hand)");
            System.exit(2);
        }
        Liveness.whenGone(Long.parseLong(args[4]), "railyard-parent-watch", () -> Runtime.getRuntime().halt(1));
        CpuClock cpu = new CpuClock();
        cpu.start();
        awaitPipes(args[0], args[1]);
        // the order matters: the pool holds both pipes open, so neither open waits long (see WorkerLauncher)
        try (ReadableByteChannel from = Channels.newChannel(new FileInputStream(args[0]));
             WritableByteChannel to = Channels.newChannel(new FileOutputStream(args[1]))) {
            new WorkerMain(Integer.parseInt(args[2]), from, to, Integer.parseInt(args[3]), cpu).serve();
        } catch (IOException e) {
            // the pool is gone (or never reached): there is nobody to answer
            System.err.println("worker " + args[2] + " lost its pool: " + e);
        }
        if (!onlyDaemonsLeft()) System.exit(0); // a task's thread would keep this JVM alive
        // else end as a JVM ends when main returns (shutdown hooks run all the same): System.exit
        // first logs through the system logger, whose first use scans every jar on the classpath
        // for a logger service (~10 ms of a worker's exit with the shaded jar, measured)
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

    /**
     * Waits until the pool has made both pipes: it makes them while this JVM boots, so they are
     * almost always there already. A pool that failed to make them kills this worker; one that died
     * is noticed by the parent watch; an hour is only a last bound.
     */
    private static void awaitPipes(String toWorker, String fromWorker) {
        long deadline = System.nanoTime() + 3_600_000_000_000L;
        java.io.File to = new java.io.File(toWorker), from = new java.io.File(fromWorker);
        while (!(to.exists() && from.exists())) {
            if (System.nanoTime() > deadline) {
                System.err.println("worker never saw its pipes " + toWorker + " and " + fromWorker);
                System.exit(2);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** True when every live thread of this thread's group (and its subgroups) but this one is a daemon. */
    private static boolean onlyDaemonsLeft() {
        Thread[] threads = new Thread[Thread.activeCount() + 8];
        int n = Thread.enumerate(threads);
        if (n == threads.length) return false; // more than we could see
        for (int i = 0; i < n; i++)
            if (threads[i] != Thread.currentThread() && threads[i].isAlive() && !threads[i].isDaemon()) return false;
        return true;
    }

    private void serve() throws IOException {
        if (!(in.read() instanceof Init init)) throw new FrameException("the first frame from the pool is not Init");
        codec = PayloadCodec.create(init.codec(), AllowList.of(init.allow()));
        if (init.initializer().length > 0) {
            try {
                ((BlockingTask<?>) codec.decode(init.initializer())).call();
            } catch (Throwable t) {
                out.write(failure(-1, -1, 0, t));
                return;
            }
        }
        out.write(new Ready(Liveness.pid()));
        while (true) {
            Frame f = in.read();
            if (f instanceof Task t) answer(t);
            else if (f instanceof ClockCheck) out.write(new ClockReading(System.nanoTime()));
            else if (f == null || f instanceof Shutdown) return;
            else throw new FrameException("unexpected " + f.getClass().getSimpleName() + " frame from the pool");
        }
    }

    private void answer(Task t) throws IOException {
        long cpu0 = cpu.now();
        long started = -1;
        Object value;
        try {
            Object task = codec.decode(t.payload());
            started = System.nanoTime(); // the task's code begins here: submit-to-start ends (see the class comment)
            value = run(task, t.taskId());
        } catch (Throwable e) {
            reply(failure(t.taskId(), started, cpu.now() - cpu0, e));
            return;
        }
        long used = cpu.now() - cpu0;
        byte[] encoded;
        try {
            encoded = codec.encode(value);
        } catch (NotEncodableException e) {
            reply(failure(t.taskId(), started, used, new NotEncodableException("the result of task " + t.taskId()
                    + " (" + className(value) + ") cannot be sent back: " + e.getMessage())));
            return;
        }
        reply(new Result(t.taskId(), started, used, encoded));
    }

    /** Sends an answer; one too large for a frame fails its task with a small Failure instead. */
    private void reply(Frame answer) throws IOException {
        try {
            out.write(answer);
        } catch (FrameException tooLarge) {
            long id = answer instanceof Result r ? r.taskId() : ((Failure) answer).taskId();
            long started = answer instanceof Result r ? r.startNanos() : ((Failure) answer).startNanos();
            long used = answer instanceof Result r ? r.cpuNanos() : ((Failure) answer).cpuNanos();
            NotEncodableException e = new NotEncodableException("the answer to task " + id + " cannot be sent back: " + tooLarge.getMessage());
            e.setStackTrace(new StackTraceElement[0]);
            out.write(failure(id, started, used, e));
        }
    }

    private Object run(Object task, long taskId) throws Exception {
        return new InlineTaskContext("processes", taskId, index).run(task);
    }

    /** A failure frame; the exception itself travels too when it can be encoded. */
    private Failure failure(long taskId, long startNanos, long cpuNanos, Throwable t) {
        byte[] encoded;
        try {
            encoded = codec == null ? new byte[0] : codec.encode(t);
        } catch (NotEncodableException e) {
            encoded = new byte[0]; // the description (ErrorInfo) still tells the parent what happened
        }
        return new Failure(taskId, startNanos, cpuNanos, ErrorInfo.of(t), encoded);
    }

    private static String className(Object o) {
        return o == null ? "null" : o.getClass().getName();
    }
}
