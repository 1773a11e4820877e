package io.railyard.loop;

import io.netty.channel.ChannelFactory;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.SingleThreadIoEventLoop;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one event-loop thread of a {@link LoopPool} and what hangs off it: the Netty transport
 * (epoll, or NIO where epoll is unavailable), the {@link LoopMonitor}, the lag probe, and the helper
 * pool that blocking calls are offloaded to ({@code toThread}, file IO, DNS).
 *
 * <p>Every facility holds a {@code Loop} and runs its state on {@link #eventLoop}. The helpers here
 * are how they hand results to user code: {@link #complete}/{@link #fail} complete a future on the
 * loop inside a monitored callback, hopping there first when called from another thread.
 *
 * <h2>Confinement</h2>
 * Loop code runs on the loop thread only. Once the loop has shut down (its pool terminated) it
 * refuses callbacks, and a refused callback runs nowhere: {@link #execute} throws a
 * {@link LoopClosedException}, {@link #onLoop}, {@link #complete} and {@link #fail} fail their
 * future with it instead (only that future's exception handlers then run, on the calling thread).
 *
 * <p>Thread-safety: {@link #execute}, {@link #onLoop}, {@link #complete}, {@link #fail},
 * {@link #offload} may be called from any thread; {@link #checkOwner} tells loop-owned code who is calling.
 */
final class Loop {

    static {
        // Netty registers its allocator's JFR event types on the first chunk allocation, which held
        // the loop thread of a cold JVM for ~200 ms here (caught by LoopMonitor as a slow callback).
        // Off unless the user asks for them with -Dio.netty.jfr.enabled=true.
        if (System.getProperty("io.netty.jfr.enabled") == null) System.setProperty("io.netty.jfr.enabled", "false");
        // Leak detection samples one buffer in 128 with a stack trace, on the loop. The tests run it at
        // "paranoid" (every buffer); a run does not pay for it unless asked to.
        if (System.getProperty("io.netty.leakDetection.level") == null) System.setProperty("io.netty.leakDetection.level", "disabled");
        // A channel's id holds the process id, which Netty finds by reflection (ProcessHandle through
        // Method.invoke, a method handle spun at the first connection): told here, it reads the property.
        long pid = ProcessHandle.current().pid();
        if (System.getProperty("io.netty.processId") == null && pid <= Integer.MAX_VALUE)
            System.setProperty("io.netty.processId", Long.toString(pid));
    }

    final IoEventLoop eventLoop;
    /** New channels of the transport: a constructor reference, not Netty's reflective factory (a method handle spun at the first connection). */
    final ChannelFactory<? extends SocketChannel> socketChannels;
    /** "epoll" or "nio". */
    final String transport;
    final LoopMonitor monitor;
    final LoopOptions options;
    private final ThreadPoolExecutor helpers;
    /** The executor tasks see as {@link io.railyard.core.TaskContext#executor()}: monitored loop runs. */
    final Executor executor = this::execute;

    Loop(LoopOptions options) {
        this.options = options;
        boolean epoll = switch (options.transport()) {
            case "epoll" -> {
                if (!Epoll.isAvailable())
                    throw new IllegalArgumentException("option loop.transport=epoll: epoll is unavailable here ("
                            + Epoll.unavailabilityCause() + "); use loop.transport=nio or auto");
                yield true;
            }
            case "nio" -> false;
            default -> Epoll.isAvailable();
        };
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        this.transport = epoll ? "epoll" : "nio";
        this.socketChannels = epoll ? EpollSocketChannel::new : NioSocketChannel::new;
        // One loop of its own, not a group of one, and connections bootstrapped without Netty's resolver
        // (resolve() does that): a group and a resolver each listen for the loop's end, and Netty calls
        // such listeners on its global executor, whose thread, not a daemon, outlives the pool by a
        // second. A command would then have to end through System.exit, whose logger lookup opens every
        // jar of the class path (docs/startup.md).
        this.eventLoop = new SingleThreadIoEventLoop(null, r -> {
            Thread t = new FastThreadLocalThread(r, "railyard-loop");
            t.setDaemon(true); // like the threads model: a forgotten pool must not keep the JVM alive
            return t;
        }, io);
        Thread thread;
        try {
            thread = eventLoop.submit(Thread::currentThread).get();
        } catch (InterruptedException | ExecutionException e) {
            eventLoop.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("the event loop did not start", e);
        }
        this.monitor = new LoopMonitor(options.slowCallback(), options.lagInterval(), thread);
        AtomicInteger n = new AtomicInteger();
        this.helpers = new ThreadPoolExecutor(options.offloadThreads(), options.offloadThreads(),
                30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "railyard-loop-offload-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
        helpers.allowCoreThreadTimeOut(true);
        eventLoop.execute(this::probeLag);
    }

    boolean inLoop() {
        return eventLoop.inEventLoop();
    }

    /** Throws unless called on the loop thread: loop-owned state has no locks. */
    void checkOwner(String what) {
        if (!eventLoop.inEventLoop())
            throw new IllegalStateException(what + " belongs to the event loop and was called from thread '"
                    + Thread.currentThread().getName() + "': call it from a task or a callback on the loop "
                    + "(hop there with TaskContext.executor())");
    }

    /**
     * Runs {@code r} on the loop as a monitored callback, later (even when called on the loop).
     *
     * @throws LoopClosedException if the loop has shut down: {@code r} does not run at all
     */
    void execute(Runnable r) {
        try {
            eventLoop.execute(new Monitored(this, r, r));
        } catch (RejectedExecutionException e) {
            throw closed(e);
        }
    }

    /**
     * Runs {@code r} on the loop: at once when called there, else as a monitored callback. If the
     * loop has shut down, {@code r} does not run and {@code orFail} fails with a {@link LoopClosedException}.
     */
    void onLoop(Runnable r, CompletableFuture<?> orFail) {
        if (eventLoop.inEventLoop()) {
            r.run();
            return;
        }
        try {
            execute(r);
        } catch (LoopClosedException e) {
            orFail.completeExceptionally(e);
        }
    }

    /** The refusal of a callback by a loop that has shut down. */
    static LoopClosedException closed(RejectedExecutionException e) {
        return new LoopClosedException("the loop pool has shut down: a callback that came after its last task"
                + " was not run (on the loop or anywhere else)", e);
    }

    /** Runs {@code r} on the loop after {@code nanos}, as a monitored callback. */
    ScheduledFuture<?> schedule(Runnable r, long nanos) {
        return eventLoop.schedule(new Monitored(this, r, r), nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * Completes {@code f} with {@code value} on the loop; its callbacks are a monitored callback.
     * Once the loop has shut down, {@code f} fails with a {@link LoopClosedException} instead.
     */
    <T> void complete(CompletableFuture<T> f, T value) {
        if (eventLoop.inEventLoop()) runMonitored(f, () -> f.complete(value));
        else onLoop(() -> f.complete(value), f);
    }

    /**
     * Fails {@code f} with {@code error} on the loop; its callbacks are a monitored callback.
     * Once the loop has shut down, {@code f} fails with a {@link LoopClosedException} instead.
     */
    <T> void fail(CompletableFuture<T> f, Throwable error) {
        if (eventLoop.inEventLoop()) runMonitored(f, () -> f.completeExceptionally(error));
        else onLoop(() -> f.completeExceptionally(error), f);
    }

    /**
     * Runs a blocking call on the helper pool and completes the returned future with its result
     * back on the loop (asyncio's {@code to_thread}).
     */
    <T> CompletableFuture<T> offload(java.util.concurrent.Callable<T> call) {
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            helpers.execute(() -> {
                T value;
                try {
                    value = call.call();
                } catch (Throwable t) {
                    fail(result, t);
                    return;
                }
                complete(result, value);
            });
        } catch (RejectedExecutionException e) {
            result.completeExceptionally(new RejectedExecutionException("the loop pool is shut down"));
        }
        return result;
    }

    /** The helper pool itself, for Netty components that run delegated work (TLS handshakes). */
    Executor helpers() {
        return helpers;
    }

    /**
     * The socket address of {@code host}: at once for an IP literal, else looked up on the helper
     * pool (the JDK's resolver blocks, so it must not run on the loop). Completes on the loop.
     */
    CompletableFuture<InetSocketAddress> resolve(String host, int port) {
        byte[] ip = NetUtil.createByteArrayFromIpAddressString(host);
        if (ip != null) {
            try {
                return CompletableFuture.completedFuture(new InetSocketAddress(InetAddress.getByAddress(host, ip), port));
            } catch (UnknownHostException impossible) {
                throw new IllegalStateException(impossible); // getByAddress only fails on a bad length
            }
        }
        return offload(() -> new InetSocketAddress(InetAddress.getByName(host), port));
    }

    private void probeLag() {
        long now = System.nanoTime();
        monitor.lagProbe(now);
        try {
            eventLoop.schedule(this::probeLag, monitor.lagIntervalNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            // the loop is stopping: no more probes
        }
    }

    /** Stops the loop, the watchdog and the helper pool without waiting. */
    void shutdown() {
        monitor.stop();
        helpers.shutdown();
        eventLoop.shutdownGracefully(0, 5, TimeUnit.SECONDS);
    }

    /** Waits up to {@code millis} for the loop thread, the watchdog and the helpers to be gone. */
    boolean awaitTermination(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean loopGone = eventLoop.terminationFuture().await(millis);
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        boolean helpersGone = helpers.awaitTermination(Math.max(1, left), TimeUnit.MILLISECONDS);
        monitor.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        return loopGone && helpersGone;
    }

    /** A runnable whose run on the loop is one monitored callback. */
    private record Monitored(Loop loop, Object what, Runnable body) implements Runnable {
        @Override
        public void run() {
            loop.runMonitored(what, body);
        }
    }

    /** Runs {@code body} as a monitored callback labelled {@code what}; the caller is on the loop. */
    void runMonitored(Object what, Runnable body) {
        long token = monitor.enter(what);
        try {
            body.run();
        } finally {
            monitor.exit(token);
        }
    }
}
