package io.railyard.core.processes;

import io.railyard.core.codec.PayloadCodec;
import io.railyard.core.codec.AllowList;
import io.railyard.core.processes.Frame.Failure;
import io.railyard.core.processes.Frame.Init;
import io.railyard.core.processes.Frame.Ready;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Starts the worker processes of one pool and keeps track of them until they exit.
 *
 * <p>A start: spawn {@code java} of this JDK with this JVM's classpath (less the jars railyard's
 * build keeps for the command's own JVM: {@link WorkerClassPath}) and {@link WorkerMain}; while
 * it boots, make two named pipes (FIFOs) in the pool's private directory (mode 0700, so only this
 * user can open them; no port of any kind is opened) and open this side of both; send
 * {@link Init}, wait for {@link Ready}, delete the pipes' names. One watchdog bounds the whole
 * start: if the process exits or the start timeout passes, it kills the process and lets the wait
 * for Ready end, so a start never hangs.
 *
 * <pre>
 *   parent (this class)                                  worker (WorkerMain)
 *   spawn java ... WorkerMain wN.to wN.from ...  ------>  boots (~25 ms)
 *   mkfifo wN.to wN.from                                   waits until both exist (they almost always do)
 *   hold = open(wN.to, RDWR)   out = open(wN.to, WRITE)     \  opening a FIFO one way waits for
 *   hold = open(wN.from, RDWR) in  = open(wN.from, READ)    /  the other way; RDWR never waits
 *                                                          open(wN.to, READ)  open(wN.from, WRITE)
 *   out: Init  ----------------------------------------->  read Init, run the initializer
 *   in:  Ready  <-----------------------------------------  Ready
 *   out: ClockCheck  ------------------------------------>  ClockReading (read by the slot thread)
 *   close both holds, delete both names                   tasks and answers, one at a time
 * </pre>
 * The holds make the parent's opens return at once, and the worker's as soon as the parent has
 * opened its side (a worker whose parent died meanwhile is halted by its parent watch). While they
 * are held, the parent's read of Ready cannot see end of stream (the hold is a writer), so a worker
 * that dies before Ready is seen through its exit instead: the watchdog closes the holds and the
 * read ends. After Ready the pipes behave as a socket would: end of stream when the worker's side
 * closes, an error when writing to a worker that is gone.
 *
 * <p>Workers are real child processes of this JVM (resource probes walking {@code /proc} find
 * them). A JVM shutdown hook kills every worker still alive and deletes every pool's directory with
 * the pipes in it, and no worker starts once the JVM is exiting, so none outlives its parent and no
 * directory is left even when a pool is never closed or was still opening; when the parent is killed outright the workers notice within a fraction
 * of a second on their own (see {@link WorkerMain}).
 *
 * <p>Thread-safe: slot threads start workers concurrently.
 */
final class WorkerLauncher {

    /**
     * Flags every worker JVM gets, chosen by measurement (see ProcessesBenchmark and docs/processes.md):
     * the serial GC (one GC thread, smallest footprint; a worker's heap is small and private), no
     * perf-data file, exit on OutOfMemoryError so a broken worker is replaced rather than limping on,
     * and JIT thresholds ten times the default. C2 stays on: CPU-bound tasks are what this model is
     * for, and C1-only code runs them ~2x slower. The thresholds: with the cores full, a fresh
     * worker's JIT threads compiling its start-up and protocol code (which runs a handful of times)
     * take CPU from the tasks; with these a cold {@code run cpu -k 35 -m 40 -c 2} is faster, and the
     * slow {@code fib} code C2 sometimes makes from an early profile does not appear (figures in
     * docs/measurements.md). Hot task code still compiles within its first few thousand calls; the
     * cost is ~25% on tiny tasks sent one by one (none in chunks of 10 or more), which this model is
     * not for. A user's own
     * {@code -XX:CompileThresholdScaling} in {@code jvmArgs} comes later and wins. A young
     * generation of 8 MiB: every object a worker allocates is touched before the first collection,
     * and the JVM's default young generation (a third of 1/64 of the machine's memory) is resident
     * memory per worker that its tasks rarely need (docs/startup.md). An initial heap of 16 MiB
     * ({@code -Xms16m}: the young generation and as much old generation), which grows as a worker's
     * tasks keep more: the serial collector's card table covers the heap as committed and is
     * written whole when it is, so the JVM's default initial heap (1/64 of the machine's memory)
     * costs every worker ~0.75 MiB of card table its tasks do not need. A user's own heap size in
     * {@code jvmArgs} ({@code -Xmx}, {@code -Xms}, ...) drops it: an initial heap above a smaller
     * maximum would keep the JVM from starting.
     *
     * <p>The JVM's tables of interned strings and of symbols start at 4,096 buckets
     * ({@code -XX:StringTableSize=4096}, and {@code -XX:SymbolTableSize=4096}, an experimental
     * flag, so {@code UnlockExperimentalVMOptions} first, given only to JDK 21 to
     * {@link #LAST_JDK_WITH_SYMBOL_TABLE_SIZE}) instead of 65,536 and 32,768: the JVM allocates and
     * clears them as it starts, 512 KiB and 256 KiB per worker, for the few strings and symbols a
     * worker makes beyond those of its class archive; they grow on their own when a worker makes
     * more.
     *
     * <p>Then two flags for the memory a worker holds on its own (docs/startup.md, "What was tried"):
     * the class archive (the AOT cache, or the JDK's CDS archive) mapped at the address it was
     * built for ({@code ArchiveRelocationMode=0}, a diagnostic flag, so {@code UnlockDiagnosticVMOptions}
     * first, and given only to JDK 21 to {@link #LAST_JDK_WITH_ARCHIVE_RELOCATION_MODE}): the JVM's default maps it at a random address and
     * rewrites every pointer in it, which turns most of the archive into private copies, ~5 MiB per
     * worker; mapped where it was built, its read-only part stays pages of the file that every worker
     * shares. The archive's addresses are then the same in every worker, which address randomization
     * would otherwise vary; a worker runs the parent's own tasks. And the C heap given back to the
     * system every second ({@code TrimNativeHeapInterval=1000}, JDK 21.0.1 and later): what the JIT's
     * compilations and start-up freed stays resident otherwise, ~1 MiB per worker.
     */
    static final List<String> DEFAULT_JVM_FLAGS = defaultFlags(Runtime.version());
    private static final String DEFAULT_GC = "-XX:+UseSerialGC";

    /** The newest JDK feature release {@code ArchiveRelocationMode} was checked on (it is in 21 to 25). */
    static final int LAST_JDK_WITH_ARCHIVE_RELOCATION_MODE = 25;

    /** The newest JDK feature release {@code SymbolTableSize}, an experimental flag, was checked on (it is in 17 to 25). */
    static final int LAST_JDK_WITH_SYMBOL_TABLE_SIZE = 25;
    private static final String DEFAULT_INITIAL_HEAP = "-Xms16m";

    /** The default flags for a JVM of {@code version} (the workers' JDK is this JVM's). */
    static List<String> defaultFlags(Runtime.Version version) {
        List<String> flags = new ArrayList<>(List.of(DEFAULT_GC, "-XX:-UsePerfData", "-XX:+ExitOnOutOfMemoryError",
                "-XX:CompileThresholdScaling=10", "-Xmn8m", DEFAULT_INITIAL_HEAP, "-XX:StringTableSize=4096"));
        if (version.feature() <= LAST_JDK_WITH_SYMBOL_TABLE_SIZE)
            flags.addAll(List.of("-XX:+UnlockExperimentalVMOptions", "-XX:SymbolTableSize=4096"));
        // a diagnostic flag may go in any release, and a JVM refuses to start on one it does not know:
        // given only to the JDKs it was measured on
        if (version.feature() <= LAST_JDK_WITH_ARCHIVE_RELOCATION_MODE)
            flags.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:ArchiveRelocationMode=0"));
        if (version.feature() > 21 || version.update() >= 1) flags.add("-XX:TrimNativeHeapInterval=1000");
        return List.copyOf(flags);
    }

    /** Every worker process of every pool in this JVM that is still alive: the shutdown hook's list. */
    private static final Set<Process> ALL = ConcurrentHashMap.newKeySet();
    /** The pipe directories of every pool in this JVM not yet deleted: the shutdown hook deletes them too. */
    private static final Set<Path> DIRECTORIES_LEFT = ConcurrentHashMap.newKeySet();
    /** Set when the JVM begins to exit: no worker starts after it (a pool opening many would race the hook). */
    private static volatile boolean exiting;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(WorkerLauncher::reap, "railyard-processes-reaper"));
    }

    /**
     * The JVM is exiting (SIGTERM, SIGINT, System.exit): no more starts, every worker killed, every
     * pool's directory and the pipes in it deleted, whatever state the pools were in.
     */
    private static void reap() {
        exiting = true;
        for (Process p : ALL) p.destroyForcibly();
        // a start that passed its check of `exiting` just before may still be making its pipes (mkfifo,
        // a few ms): a directory that is not empty yet is tried again, for at most half a second
        for (int attempt = 0; attempt < 20 && !DIRECTORIES_LEFT.isEmpty(); attempt++) {
            if (attempt > 0) {
                try {
                    Thread.sleep(25);
                } catch (InterruptedException e) {
                    return;
                }
            }
            for (Path dir : DIRECTORIES_LEFT) deleteWithPipes(dir);
        }
    }

    private static void deleteWithPipes(Path dir) {
        try (var entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // already gone
        }
        try {
            Files.deleteIfExists(dir);
            DIRECTORIES_LEFT.remove(dir);
        } catch (IOException ignored) {
            // a start still writing into it: nothing more to do while the JVM exits
        }
    }

    private final ProcessPoolOptions options;
    private final AllowList allow;
    private final byte[] initializer;
    private final PayloadCodec codec;
    private final List<String> flags;
    private final WorkerClassPath classPath;
    private final AotCache aot;
    private final Path pipeDir;
    private final AtomicLong spawns = new AtomicLong();
    private final Set<Process> processes = ConcurrentHashMap.newKeySet();
    private final Set<Process> starting = ConcurrentHashMap.newKeySet();
    /** AOT cache publications still to happen when their trainer exits; close waits for them. */
    private final List<CompletableFuture<Void>> trainings = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Workers that train the AOT cache: at exit their JVM assembles it, which takes seconds on a busy machine. */
    private final Set<Process> trainers = ConcurrentHashMap.newKeySet();
    /** How long a training worker may take to exit after Shutdown before it is killed (and its cache lost). */
    static final Duration TRAINING_GRACE = Duration.ofSeconds(60);
    private volatile boolean released;

    WorkerLauncher(ProcessPoolOptions options, AllowList allow, byte[] initializer, PayloadCodec codec) {
        this.options = options;
        this.allow = allow;
        this.initializer = initializer;
        this.codec = codec;
        this.flags = flags(options.jvmArgs());
        this.classPath = WorkerClassPath.forThisJvm(options.workerClassPath());
        this.aot = AotCache.plan(options.aotCache(), flags, classPath.entries());
        this.pipeDir = privateDirectory();
        DIRECTORIES_LEFT.add(pipeDir);
    }

    private static final AtomicLong DIRECTORIES = new AtomicLong();

    /**
     * A fresh directory only this user can open (mode 0700), for the pool's pipes. Named by pid and
     * counter rather than with {@link Files#createTempDirectory}, whose first use seeds a
     * {@code SecureRandom} (~15 ms of CPU, on the path to the first worker): creating a directory
     * fails when anything, a link included, is at that name already, so a name taken or planted by
     * someone else is skipped, never entered.
     */
    private static Path privateDirectory() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        long pid = ProcessHandle.current().pid();
        IOException last = null;
        for (int attempt = 0; attempt < 100; attempt++) {
            Path dir = tmp.resolve("railyard-pool-" + pid + "-" + DIRECTORIES.incrementAndGet() + "-" + Long.toHexString(System.nanoTime() & 0xffffff));
            try {
                return Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                last = e; // taken: try the next name
            } catch (IOException | UnsupportedOperationException e) {
                throw new IllegalStateException("cannot create a private directory for the workers' pipes in " + tmp + ": " + e
                        + " (set -Djava.io.tmpdir to a writable local directory)", e);
            }
        }
        throw new IllegalStateException("cannot create a private directory for the workers' pipes in " + tmp + ": 100 names taken, the last " + last);
    }

    /**
     * The default flags, then the user's (a GC the user picks replaces the default one, and a heap
     * size the user gives the default initial heap).
     */
    static List<String> flags(List<String> jvmArgs) {
        List<String> flags = new ArrayList<>(DEFAULT_JVM_FLAGS);
        for (String a : jvmArgs) {
            if (a.startsWith("-XX:+Use") && a.endsWith("GC")) flags.remove(DEFAULT_GC);
            if (a.startsWith("-Xmx") || a.startsWith("-Xms") || a.startsWith("-XX:MaxHeapSize=") || a.startsWith("-XX:InitialHeapSize=")
                    || a.startsWith("-XX:MinHeapSize=")) flags.remove(DEFAULT_INITIAL_HEAP);
        }
        flags.addAll(jvmArgs);
        return flags;
    }

    /** The AOT cache the workers use (or train), or {@code null}. */
    Path aotCache() {
        return aot.file();
    }

    /**
     * Starts worker {@code index} and waits until it is ready.
     *
     * @throws IOException naming why, with the worker's exit status and last output when it died
     */
    Worker start(int index) throws IOException {
        if (released) throw new IOException("the pool is shutting down");
        if (exiting) throw new IOException("the JVM is exiting");
        String name = "w" + index + "-" + spawns.incrementAndGet();
        Path toWorker = pipeDir.resolve(name + ".to"), fromWorker = pipeDir.resolve(name + ".from");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString()); // this JDK
        cmd.addAll(flags);
        AotCache.Training training = aot.next(cmd);
        cmd.addAll(List.of("-cp", classPath.toString(), WorkerMain.class.getName()));
        cmd.addAll(List.of(toWorker.toString(), fromWorker.toString(), Integer.toString(index),
                Integer.toString(options.maxFrameBytes()), Long.toString(ProcessHandle.current().pid())));
        List<FileChannel> holds = new ArrayList<>();
        FileChannel out = null, in = null;
        long t0 = System.nanoTime();
        // the JVM first: it boots for ~25 ms before it looks for its pipes (and waits for them if need be),
        // time in which the pipes are made, so that making them (~4 ms) is off the path to Ready
        Process process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        track(process);
        if (exiting) { // spawned while the exit hook ran: it may have missed this one
            kill(process);
            throw new IOException("the JVM is exiting");
        }
        if (training != null) {
            trainers.add(process);
            trainings.add(training.watch(process));
        }
        try {
            if (exiting) throw new IOException("the JVM is exiting");
            mkfifo(toWorker, fromWorker);
            holds.add(FileChannel.open(toWorker, StandardOpenOption.READ, StandardOpenOption.WRITE));
            out = FileChannel.open(toWorker, StandardOpenOption.WRITE);
            holds.add(FileChannel.open(fromWorker, StandardOpenOption.READ, StandardOpenOption.WRITE));
            in = FileChannel.open(fromWorker, StandardOpenOption.READ);
            process.getOutputStream().close(); // the worker's stdin: end of stream at once
            Worker.Output output = new Worker.Output(process, index, training != null);
            output.start();

            AtomicBoolean ready = new AtomicBoolean();
            Runnable giveUp = () -> {
                if (ready.get()) return;
                kill(process);
                for (FileChannel hold : holds) closeQuietly(hold); // the read of Ready ends
            };
            // registered once the holds are open: a worker that died before is given up at once
            process.onExit().thenRun(giveUp);
            CompletableFuture.delayedExecutor(options.startTimeout().toMillis(), TimeUnit.MILLISECONDS).execute(giveUp);
            try {
                FrameReader reader = new FrameReader(in, options.maxFrameBytes());
                FrameWriter writer = new FrameWriter(out, options.maxFrameBytes());
                Frame first;
                try {
                    writer.write(new Init(index, options.codec(), allow.extra(), initializer));
                    first = reader.read();
                } catch (FrameException malformed) {
                    throw failed(index, process, output, "its first frame is malformed (" + malformed.getMessage() + ")", t0);
                } catch (IOException gone) {
                    first = null; // it died (or was given up on) and its pipes closed under the write or the read
                }
                if (first instanceof Ready r && r.pid() == process.pid()) {
                    ready.set(true);
                    starting.remove(process);
                    if (released) process.destroyForcibly(); // lost a race with release(): never hand it out
                    long startup = System.nanoTime() - t0;
                    // the clock check: answered before any task (frames are answered in order), read by the slot thread
                    long checkSent = System.nanoTime();
                    writer.write(new Frame.ClockCheck());
                    return new Worker(index, process, in, out, reader, writer, output, startup, checkSent);
                }
                if (first instanceof Failure f) {
                    Throwable cause = Worker.exception(codec, f);
                    throw new IOException("the initializer failed in worker " + index + ": " + cause, cause);
                }
                throw failed(index, process, output, first == null ? "it exited before it was ready" : "it sent " + first + " instead of Ready", t0);
            } catch (IOException | RuntimeException e) {
                kill(process);
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            kill(process);
            closeQuietly(in);
            closeQuietly(out);
            throw e;
        } finally {
            for (FileChannel hold : holds) closeQuietly(hold);
            Files.deleteIfExists(toWorker);
            Files.deleteIfExists(fromWorker);
            if (released) deletePipeDir();
        }
    }

    /**
     * Makes the named pipes with the system's {@code mkfifo}, mode 0600 in the private directory:
     * Java has no call for it (the foreign-function API that could is not in Java 21 without preview).
     */
    private static void mkfifo(Path... fifos) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("mkfifo", "-m", "600"));
        for (Path f : fifos) cmd.add(f.toString());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot make the pipes to a worker process: the processes model needs the mkfifo"
                    + " command (coreutils) on the PATH (" + e.getMessage() + ")", e);
        }
        p.getOutputStream().close();
        String said = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        try {
            if (p.waitFor() != 0)
                throw new IOException("cannot make the pipes to a worker process: mkfifo exited with status " + p.exitValue()
                        + (said.isEmpty() ? "" : ": " + said));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new java.io.InterruptedIOException("interrupted while making the pipes to a worker process");
        }
    }

    private IOException failed(int index, Process process, Worker.Output output, String what, long t0) {
        String status;
        try {
            status = process.waitFor(2, TimeUnit.SECONDS) ? "exit status " + process.exitValue() : "still running (killed)";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            status = "unknown status";
        }
        kill(process);
        // the process has exited, so its output ends at once; the forwarding thread may just need the CPU
        String last = output.last(Duration.ofSeconds(5));
        return new IOException("worker " + index + " (pid " + process.pid() + ") did not start: " + what + " after "
                + (System.nanoTime() - t0) / 1_000_000 + " ms, " + status + (last.isEmpty() ? "" : "; its last output: " + last));
    }

    /**
     * SIGKILL through the process handle: {@link Process#destroyForcibly()} also closes the pipe
     * the worker's output is read from, which loses the output (say, the JVM's own error message)
     * that the forwarding thread has not read yet.
     */
    static void kill(Process p) {
        p.toHandle().destroyForcibly();
    }

    private void track(Process p) {
        processes.add(p);
        starting.add(p);
        ALL.add(p);
        p.onExit().thenRun(() -> {
            processes.remove(p);
            starting.remove(p);
            ALL.remove(p);
        });
    }

    /**
     * No more workers: kills those still starting, and gives the others (which were just told to
     * shut down) a grace period before killing them. Does not wait.
     */
    void release(Duration grace) {
        released = true;
        for (Process p : starting) kill(p);
        for (Process p : processes) {
            Duration patience = trainers.contains(p) && grace.compareTo(TRAINING_GRACE) < 0 && !grace.isZero() ? TRAINING_GRACE : grace;
            p.onExit().completeOnTimeout(null, patience.toMillis(), TimeUnit.MILLISECONDS).thenRun(() -> kill(p));
        }
        deletePipeDir();
    }

    /**
     * Waits until every worker process has exited (killing the rest after {@code timeout}; a worker
     * that trains the AOT cache gets {@link #TRAINING_GRACE}) and an AOT cache a worker trained is in
     * place, so a JVM that exits right after close keeps it.
     */
    void awaitExit(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long trainerDeadline = Math.max(deadline, System.nanoTime() + TRAINING_GRACE.toNanos());
        for (Process p : List.copyOf(processes)) {
            long left = (trainers.contains(p) ? trainerDeadline : deadline) - System.nanoTime();
            if (left <= 0 || !p.waitFor(left, TimeUnit.NANOSECONDS)) {
                kill(p);
                p.waitFor(2, TimeUnit.SECONDS);
            }
        }
        for (CompletableFuture<Void> t : trainings) {
            try {
                t.get(Math.max(1, trainerDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // no cache this time: the next pool trains again
            }
        }
        deletePipeDir();
    }

    /** Worker processes started and not yet exited. */
    int alive() {
        return (int) processes.stream().filter(Process::isAlive).count(); // the set is pruned asynchronously
    }

    private void deletePipeDir() {
        try {
            Files.deleteIfExists(pipeDir);
            DIRECTORIES_LEFT.remove(pipeDir);
        } catch (IOException ignored) {
            // a start in progress still has its pipes there; that start deletes the directory when it ends
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
