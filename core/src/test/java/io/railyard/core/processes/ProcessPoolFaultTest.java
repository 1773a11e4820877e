package io.railyard.core.processes;

import io.railyard.core.codec.NotEncodableException;
import io.railyard.core.MapOptions;
import io.railyard.core.PoolSpec;
import io.railyard.core.PoolState;
import io.railyard.core.RemoteException;
import io.railyard.core.TaskFuture;
import io.railyard.core.TaskTimeoutException;
import io.railyard.core.contract.ContractJobs;
import io.railyard.core.processes.jobs.FaultJobs;
import io.railyard.core.processes.jobs.FaultJobs.Chatty;
import io.railyard.core.processes.jobs.FaultJobs.Echo;
import io.railyard.core.processes.jobs.FaultJobs.Exit;
import io.railyard.core.processes.jobs.FaultJobs.Hold;
import io.railyard.core.processes.jobs.FaultJobs.Pid;
import io.railyard.core.processes.jobs.FaultJobs.ReturnSecret;
import io.railyard.core.processes.jobs.FaultJobs.ReturnUnserializable;
import io.railyard.core.processes.jobs.FaultJobs.Spin;
import io.railyard.core.processes.jobs.FaultJobs.ThrowJdk;
import io.railyard.core.processes.jobs.FaultJobs.ThrowSecret;
import io.railyard.core.processes.jobs.FaultJobs.Work;
import io.railyard.core.time.ManualTimeSource;
import io.railyard.core.trace.TaskRecord;
import io.railyard.core.trace.TraceRecorder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The faults of the processes model, done for real: workers are killed with {@code kill -9}, exit
 * from inside a task, throw, return what cannot be encoded, hang past their timeout, and the pool
 * is shut down while tasks run. Every test checks that the pool goes on serving and that no worker
 * process is left behind.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ProcessPoolFaultTest {

    @TempDir
    Path dir;

    private final List<ProcessPool> pools = new ArrayList<>();
    private final List<Long> pidsSeen = new ArrayList<>();

    private ProcessPool open(int concurrency) {
        return open(PoolSpec.of(concurrency), ProcessPoolOptions.DEFAULT);
    }

    private ProcessPool open(PoolSpec spec, ProcessPoolOptions options) {
        ProcessPool pool = new ProcessPool(spec, options.withAllow(List.of(FaultJobs.ALLOW)));
        pools.add(pool);
        pidsSeen.addAll(pool.workerPids());
        return pool;
    }

    @AfterEach
    void noWorkerOutlivesItsPool() throws Exception {
        touch("release");
        for (ProcessPool p : pools) {
            p.shutdownNow();
            assertTrue(p.awaitTermination(Duration.ofSeconds(30)), "pool did not terminate: " + p);
        }
        for (ProcessPool p : pools) pidsSeen.addAll(p.workerPids());
        for (long pid : pidsSeen) awaitGone(pid, Duration.ofSeconds(15));
    }

    // ---------------------------------------------------------------- dying workers

    @Test
    void killNineMidTaskFailsThatTaskOnlyAndAReplacementServesTheRest() throws Exception {
        ProcessPool pool = open(2);
        TaskFuture<String> victim = pool.submit(new Hold(dir.toString(), "victim"));
        TaskFuture<String> survivor = pool.submit(new Hold(dir.toString(), "survivor"));
        List<TaskFuture<Integer>> queued = new ArrayList<>();
        for (int i = 0; i < 20; i++) queued.add(pool.submit(new Echo<>(i)));
        long pid = startedPid("victim");
        kill9(pid);

        ExecutionException e = assertThrows(ExecutionException.class, () -> victim.get(30, TimeUnit.SECONDS));
        WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
        assertEquals(pid, died.pid());
        assertEquals(137, died.exitStatus(), died.getMessage());
        assertTrue(died.getMessage().contains("pid " + pid) && died.getMessage().contains("137"), died.getMessage());

        // the replacement takes the queued tasks while the survivor still holds its worker
        for (int i = 0; i < 20; i++) assertEquals(i, queued.get(i).get(30, TimeUnit.SECONDS));
        assertFalse(survivor.isDone());
        touch("release");
        assertEquals("survivor", survivor.get(30, TimeUnit.SECONDS));
        assertEquals(3, pool.workerStartTimes().size(), "two workers and one replacement");
        assertFalse(pool.workerPids().contains(pid));
        assertEquals(2, pool.workerPids().size());
    }

    @Test
    void killsDuringABusyRunLoseNoResultAndDeliverNoneTwice() throws Exception {
        ProcessPool pool = open(3);
        int n = 150;
        List<TaskFuture<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < n; i++) fs.add(pool.submit(new Work(dir.toString(), i, 3)));
        // kill two busy workers while the queue is long; never the same one twice (the pool may
        // still list a worker it has not yet noticed is dead)
        Set<Long> killed = new HashSet<>();
        for (int k = 0; k < 2; k++) {
            awaitCount("done-", 20 * (k + 1));
            long victim = pool.workerPids().stream()
                    .filter(pid -> !killed.contains(pid) && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
                    .findFirst().orElseThrow();
            killed.add(victim);
            kill9(victim);
        }
        int died = 0;
        for (int i = 0; i < n; i++) {
            try {
                assertEquals(i, fs.get(i).get(60, TimeUnit.SECONDS), "task " + i + " got another task's result");
                assertTrue(Files.exists(dir.resolve("done-" + i)), "task " + i + " completed without running");
            } catch (ExecutionException e) {
                assertInstanceOf(WorkerDiedException.class, e.getCause());
                died++;
            }
        }
        assertTrue(died <= 2, died + " tasks failed for 2 kills");
        pool.close();
        assertEquals(PoolState.TERMINATED, pool.state());
    }

    @Test
    void concurrentSubmitsAndCancelsRaceWithoutLosingOrMixingUpResults() throws Exception {
        ProcessPool pool = open(2);
        int perThread = 80, threads = 3;
        List<TaskFuture<Integer>> fs = java.util.Collections.synchronizedList(new ArrayList<>());
        Map<TaskFuture<Integer>, Integer> expected = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.CyclicBarrier go = new java.util.concurrent.CyclicBarrier(threads + 1);
        List<Thread> submitters = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int base = t * perThread;
            Thread th = new Thread(() -> {
                try {
                    go.await();
                    for (int i = 0; i < perThread; i++) {
                        TaskFuture<Integer> f = pool.submit(new Work(dir.toString(), base + i, 1));
                        expected.put(f, base + i);
                        fs.add(f);
                    }
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            });
            th.start();
            submitters.add(th);
        }
        go.await();
        // cancel every 7th task as it is submitted: queued ones vanish, running ones lose their worker
        int cancelled = 0;
        for (int seen = 0; seen < threads * perThread; ) {
            if (seen < fs.size()) {
                if (seen % 7 == 3 && fs.get(seen).cancel(seen % 2 == 0)) cancelled++;
                seen++;
            } else Thread.onSpinWait();
        }
        for (Thread th : submitters) th.join(30_000);
        for (TaskFuture<Integer> f : List.copyOf(fs)) {
            if (f.isCancelled()) continue;
            assertEquals(expected.get(f), f.get(60, TimeUnit.SECONDS), "a task that was not cancelled got its own result");
        }
        assertTrue(cancelled > 0);
        pool.close();
        assertEquals(PoolState.TERMINATED, pool.state());
        assertEquals(0, pool.outstanding());
    }

    @Test
    void aTaskCallingSystemExitFailsWithItsStatusAndThePoolGoesOn() throws Exception {
        ProcessPool pool = open(1);
        long before = pool.workerPids().get(0);
        ExecutionException e = assertThrows(ExecutionException.class, () -> pool.submit(new Exit(3)).get(30, TimeUnit.SECONDS));
        WorkerDiedException died = assertInstanceOf(WorkerDiedException.class, e.getCause());
        assertEquals(3, died.exitStatus());
        assertEquals(before, died.pid());
        long after = pool.submit(new Pid()).get(30, TimeUnit.SECONDS);
        assertNotEquals(before, after, "a replacement runs the next task");
    }

    // ---------------------------------------------------------------- exceptions and encoding

    @Test
    void aThrownJdkExceptionComesBackAsItselfWithTheRemoteStack() throws Exception {
        ProcessPool pool = open(1);
        ExecutionException e = assertThrows(ExecutionException.class, () -> pool.submit(new ThrowJdk("boom")).get(30, TimeUnit.SECONDS));
        IllegalStateException ise = assertInstanceOf(IllegalStateException.class, e.getCause());
        assertEquals("boom", ise.getMessage());
        assertEquals(ThrowJdk.class.getName(), ise.getStackTrace()[0].getClassName(), "the stack is the worker's");
        assertInstanceOf(java.io.IOException.class, ise.getCause());
    }

    @Test
    void anExceptionOffTheAllowListComesBackAsARemoteException() throws Exception {
        ProcessPool pool = open(1);
        ExecutionException e = assertThrows(ExecutionException.class, () -> pool.submit(new ThrowSecret("hush")).get(30, TimeUnit.SECONDS));
        RemoteException r = assertInstanceOf(RemoteException.class, e.getCause());
        assertEquals("io.railyard.core.processes.jobs.secret.Secret$SecretException", r.remoteClassName());
        assertTrue(r.getMessage().contains("hush"), r.getMessage());
        assertEquals(ThrowSecret.class.getName(), r.getStackTrace()[0].getClassName());
    }

    @Test
    void aResultThatCannotBeEncodedFailsThatTaskOnlyNamingTheClass() throws Exception {
        ProcessPool pool = open(1);
        long pid = pool.workerPids().get(0);
        ExecutionException e1 = assertThrows(ExecutionException.class, () -> pool.submit(new ReturnUnserializable()).get(30, TimeUnit.SECONDS));
        NotEncodableException n1 = assertInstanceOf(NotEncodableException.class, e1.getCause());
        assertTrue(n1.getMessage().contains("java.lang.Thread") && n1.getMessage().contains("not Serializable"), n1.getMessage());

        ExecutionException e2 = assertThrows(ExecutionException.class, () -> pool.submit(new ReturnSecret()).get(30, TimeUnit.SECONDS));
        NotEncodableException n2 = assertInstanceOf(NotEncodableException.class, e2.getCause());
        assertTrue(n2.getMessage().contains("io.railyard.core.processes.jobs.secret.Secret$Value") && n2.getMessage().contains("allow="), n2.getMessage());

        assertEquals(pid, pool.submit(new Pid()).get(30, TimeUnit.SECONDS), "the same worker goes on");
    }

    @Test
    void aTaskThatCannotBeEncodedIsRejectedAtSubmitNamingTheClass() throws Exception {
        ProcessPool pool = open(1);
        Object notSerializable = new Object();
        RejectedExecutionException r1 = assertThrows(RejectedExecutionException.class,
                () -> pool.submit(() -> notSerializable.hashCode()));
        assertTrue(r1.getMessage().contains("java.lang.Object") && r1.getMessage().contains("not Serializable"), r1.getMessage());

        // the default allow-list is strict: the contract's jobs are not on it
        ProcessPool strict = new ProcessPool(PoolSpec.of(1));
        pools.add(strict);
        RejectedExecutionException r2 = assertThrows(RejectedExecutionException.class,
                () -> strict.submit(new ContractJobs.Value<>("x")));
        assertTrue(r2.getMessage().contains("io.railyard.core.contract.ContractJobs$Value")
                && r2.getMessage().contains("allow=io.railyard.core.contract.ContractJobs$Value"), r2.getMessage());
        assertEquals(0, strict.outstanding(), "a refused task is not counted");
        assertEquals("ok", pool.submit(new Echo<>("ok")).get(30, TimeUnit.SECONDS));
    }

    @Test
    void framesOverTheLimitFailTheirTaskOnlyInEitherDirection() throws Exception {
        ProcessPool pool = open(PoolSpec.of(1), ProcessPoolOptions.fromOptions(Map.of("maxFrameBytes", "65536")));
        long pid = pool.workerPids().get(0);
        ExecutionException e = assertThrows(ExecutionException.class, () -> pool.submit(new FaultJobs.Big(200_000)).get(30, TimeUnit.SECONDS));
        NotEncodableException n = assertInstanceOf(NotEncodableException.class, e.getCause());
        assertTrue(n.getMessage().contains("exceeds the limit of 65536 bytes"), n.getMessage());
        RejectedExecutionException r = assertThrows(RejectedExecutionException.class, () -> pool.submit(new Echo<>(new byte[200_000])));
        assertTrue(r.getMessage().contains("maxFrameBytes"), r.getMessage());
        assertEquals(pid, pool.submit(new Pid()).get(30, TimeUnit.SECONDS), "the same worker goes on");
    }

    // ---------------------------------------------------------------- timeouts, cancel, shutdown

    @Test
    void aTaskHangingPastItsTimeoutHasItsWorkerKilledAndReplaced() throws Exception {
        ManualTimeSource clock = new ManualTimeSource();
        ProcessPool pool = open(PoolSpec.of(1).withTime(clock), ProcessPoolOptions.DEFAULT);
        TaskFuture<String> stuck = pool.submit(new Spin(dir.toString()), Duration.ofSeconds(10));
        long pid = Long.parseLong(awaitFile("spinning"));
        clock.advance(Duration.ofSeconds(9));
        assertFalse(stuck.isDone());
        clock.advance(Duration.ofSeconds(2));
        ExecutionException e = assertThrows(ExecutionException.class, () -> stuck.get(30, TimeUnit.SECONDS));
        assertInstanceOf(TaskTimeoutException.class, e.getCause());
        awaitGone(pid, Duration.ofSeconds(15));
        assertNotEquals(pid, pool.submit(new Pid()).get(30, TimeUnit.SECONDS));
    }

    @Test
    void cancellingARunningTaskKillsItsWorker() throws Exception {
        ProcessPool pool = open(1);
        TaskFuture<String> f = pool.submit(new Spin(dir.toString()));
        long pid = Long.parseLong(awaitFile("spinning"));
        assertTrue(f.cancel(true));
        awaitGone(pid, Duration.ofSeconds(15));
        assertNotEquals(pid, pool.submit(new Pid()).get(30, TimeUnit.SECONDS));
    }

    @Test
    void shutdownNowWhileTasksRunLeavesNoWorkerBehind() throws Exception {
        ProcessPool pool = open(2);
        List<Long> pids = pool.workerPids();
        pool.submit(new Hold(dir.toString(), "a"));
        pool.submit(new Spin(dir.toString()));
        for (int i = 0; i < 5; i++) pool.submit(new Echo<>(i));
        startedPid("a");
        awaitFile("spinning");
        assertEquals(5, pool.shutdownNow().size());
        assertTrue(pool.awaitTermination(Duration.ofSeconds(30)));
        for (long pid : pids) awaitGone(pid, Duration.ofSeconds(10));
        assertEquals(0, pool.aliveProcesses());
    }

    @Test
    void closeWhileTasksRunFinishesThemThenNoWorkerIsLeft() throws Exception {
        ProcessPool pool = open(2);
        List<Long> pids = pool.workerPids();
        List<TaskFuture<Integer>> fs = new ArrayList<>();
        for (int i = 0; i < 10; i++) fs.add(pool.submit(new Work(dir.toString(), i, 20)));
        pool.close();
        for (int i = 0; i < 10; i++) assertEquals(i, fs.get(i).getNow(-1));
        for (long pid : pids) assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " outlived close()");
        assertEquals(0, pool.aliveProcesses());
    }

    @Test
    void aTaskThatLeavesANonDaemonThreadRunningDoesNotKeepItsWorkerAliveAtClose() throws Exception {
        ProcessPool pool = open(1);
        List<Long> pids = pool.workerPids();
        assertEquals("left", pool.submit(new FaultJobs.LeaveThread()).get(30, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        pool.close();
        long ms = (System.nanoTime() - t0) / 1_000_000;
        // the worker ends itself (System.exit), well before the 5 s grace after which it would be killed
        assertTrue(ms < 4_000, "close took " + ms + " ms: the worker waited for its task's thread");
        for (long pid : pids) assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "worker " + pid + " outlived close()");
    }

    @Test
    void whenTheParentJvmIsKilledItsWorkersExitWithinSeconds() throws Exception {
        Path pidFile = dir.resolve("workers");
        Process parent = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), PoolParentMain.class.getName(), pidFile.toString(), dir.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("parent.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
                assertTrue(parent.isAlive(), () -> "the parent JVM died: " + read(dir.resolve("parent.log")));
                assertTrue(System.nanoTime() < deadline, "the parent JVM never opened its pool");
                Thread.sleep(20);
            }
            startedPid("held"); // a task is running in a worker when the parent dies
            List<Long> workers = Files.readAllLines(pidFile).stream().filter(s -> !s.isBlank()).map(Long::parseLong).toList();
            assertEquals(2, workers.size());
            for (long w : workers)
                assertEquals(parent.pid(), ProcessHandle.of(w).flatMap(ProcessHandle::parent).map(ProcessHandle::pid).orElse(-1L),
                        "workers are child processes of the pool's JVM");
            kill9(parent.pid());
            parent.waitFor(10, TimeUnit.SECONDS);
            for (long w : workers) awaitGone(w, Duration.ofSeconds(10));
        } finally {
            parent.destroyForcibly();
        }
    }

    // ---------------------------------------------------------------- per-worker features

    @Test
    void theInitializerRunsOnceInEveryWorkerBeforeItsFirstTask() throws Exception {
        ProcessPool pool = open(PoolSpec.of(2), ProcessPoolOptions.DEFAULT.withInitializer(new FaultJobs.Init(dir.toString())));
        List<Long> pids = pool.workerPids();
        for (long pid : pids) assertTrue(Files.exists(dir.resolve("init-" + pid)), "initializer ran in " + pid);
        assertEquals(2, countFiles("init-"));
        String state = pool.submit(new FaultJobs.InitState()).get(30, TimeUnit.SECONDS);
        assertTrue(state.startsWith("initialized in "), state);
    }

    @Test
    void aFailingInitializerFailsTheOpenWithItsException() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> open(PoolSpec.of(2), ProcessPoolOptions.DEFAULT.withInitializer(new FaultJobs.BadInit())));
        assertTrue(e.getMessage().contains("initializer failed") && e.getMessage().contains("the initializer refuses"), e.getMessage());
    }

    @Test
    void workersRunWithTheDefaultFlagsAndTheirClassArchiveStaysWhereItWasBuilt() throws Exception {
        ProcessPool pool = open(1);
        List<String> seen = pool.submit(new FaultJobs.JvmFlagsAndArchive()).get(60, TimeUnit.SECONDS);
        for (String flag : WorkerLauncher.DEFAULT_JVM_FLAGS) assertTrue(seen.contains(flag), flag + " in " + seen);
        // not relocated: its read-only part is mapped read-only, pages of the file every worker shares
        // (a relocated archive is mapped writable throughout, every pointer in it rewritten)
        List<String> archive = seen.stream().filter(l -> l.endsWith(".jsa") || l.endsWith(".aot")).toList();
        assertFalse(archive.isEmpty(), "the worker maps a class archive: " + seen);
        if (WorkerLauncher.DEFAULT_JVM_FLAGS.contains("-XX:ArchiveRelocationMode=0")) // this JDK is one it is given to
            assertTrue(archive.stream().anyMatch(l -> l.split(" +")[1].equals("r--p")), "a read-only part: " + archive);
    }

    @Test
    void theVersionDependentFlagsAreGivenToJdksThatHaveThem() {
        assertFalse(WorkerLauncher.defaultFlags(Runtime.Version.parse("21")).contains("-XX:TrimNativeHeapInterval=1000"));
        assertTrue(WorkerLauncher.defaultFlags(Runtime.Version.parse("21.0.1")).contains("-XX:TrimNativeHeapInterval=1000"));
        assertTrue(WorkerLauncher.defaultFlags(Runtime.Version.parse("25.0.3")).contains("-XX:TrimNativeHeapInterval=1000"));
        List<String> flags = WorkerLauncher.defaultFlags(Runtime.Version.parse("25"));
        assertTrue(flags.indexOf("-XX:+UnlockDiagnosticVMOptions") < flags.indexOf("-XX:ArchiveRelocationMode=0"), flags.toString());
        assertTrue(WorkerLauncher.defaultFlags(Runtime.Version.parse("21")).contains("-XX:ArchiveRelocationMode=0"));
        // a diagnostic flag a later JDK may have dropped would keep every worker from starting
        List<String> later = WorkerLauncher.defaultFlags(Runtime.Version.parse(String.valueOf(WorkerLauncher.LAST_JDK_WITH_ARCHIVE_RELOCATION_MODE + 1)));
        assertFalse(later.contains("-XX:ArchiveRelocationMode=0") || later.contains("-XX:+UnlockDiagnosticVMOptions"), later.toString());
        // the experimental table size the same way, its unlock first
        List<String> checked = WorkerLauncher.defaultFlags(Runtime.Version.parse(String.valueOf(WorkerLauncher.LAST_JDK_WITH_SYMBOL_TABLE_SIZE)));
        assertTrue(checked.indexOf("-XX:+UnlockExperimentalVMOptions") >= 0
                && checked.indexOf("-XX:+UnlockExperimentalVMOptions") < checked.indexOf("-XX:SymbolTableSize=4096"), checked.toString());
        assertTrue(WorkerLauncher.defaultFlags(Runtime.Version.parse("21")).contains("-XX:SymbolTableSize=4096"));
        List<String> newer = WorkerLauncher.defaultFlags(Runtime.Version.parse(String.valueOf(WorkerLauncher.LAST_JDK_WITH_SYMBOL_TABLE_SIZE + 1)));
        assertFalse(newer.contains("-XX:SymbolTableSize=4096") || newer.contains("-XX:+UnlockExperimentalVMOptions"), newer.toString());
        assertTrue(newer.contains("-XX:StringTableSize=4096") && newer.contains("-Xms16m"), newer.toString());
    }

    @Test
    void aHeapSizeInJvmArgsReplacesTheDefaultInitialHeap() throws Exception {
        assertTrue(WorkerLauncher.flags(List.of()).contains("-Xms16m"));
        for (String own : List.of("-Xmx12m", "-Xms64m", "-XX:MaxHeapSize=12m", "-XX:InitialHeapSize=64m", "-XX:MinHeapSize=4m"))
            assertFalse(WorkerLauncher.flags(List.of(own)).contains("-Xms16m"), own);
        assertTrue(WorkerLauncher.flags(List.of("-XX:MaxRAM=1g")).contains("-Xms16m"));
        // a maximum below the default initial heap: the JVM would refuse -Xms16m with it, and the worker would not start
        ProcessPool pool = open(PoolSpec.of(1), ProcessPoolOptions.DEFAULT.withJvmArgs(List.of("-Xmx12m")));
        List<String> seen = pool.submit(new FaultJobs.JvmFlagsAndArchive()).get(60, TimeUnit.SECONDS);
        assertTrue(seen.contains("-Xmx12m") && !seen.contains("-Xms16m"), seen.toString());
    }

    @Test
    void badJvmFlagsFailTheOpenWithTheJvmsOwnMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> open(PoolSpec.of(1), ProcessPoolOptions.DEFAULT.withJvmArgs(List.of("-XX:+NoSuchRailyardFlag"))));
        assertTrue(e.getMessage().contains("jvmArgs=-XX:+NoSuchRailyardFlag") && e.getMessage().contains("Unrecognized VM option"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aWorkerThatNeverBecomesReadyFailsTheOpenAtTheStartTimeoutAndIsKilled() {
        long t0 = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> open(PoolSpec.of(1),
                ProcessPoolOptions.DEFAULT.withInitializer(new FaultJobs.HangInit()).withStartTimeout(Duration.ofMillis(1500))));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(e.getMessage().contains("did not start"), e.getMessage());
        assertTrue(ms >= 1_400 && ms < 20_000, "the open failed after " + ms + " ms, not at its 1.5 s start timeout");
    }

    @Test
    void withoutMkfifoOnThePathTheOpenSaysWhatIsMissing() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), OpenPoolMain.class.getName()).redirectErrorStream(true);
        pb.environment().put("PATH", dir.resolve("empty-path").toString()); // java itself is named by its full path
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertTrue(out.contains("failed:") && out.contains("needs the mkfifo command"), out);
        // and with the system's PATH the same program opens its pool
        Process ok = new ProcessBuilder(pb.command()).redirectErrorStream(true).start();
        String okOut = new String(ok.getInputStream().readAllBytes());
        assertTrue(ok.waitFor(60, TimeUnit.SECONDS));
        assertTrue(okOut.contains("opened 1"), okOut);
    }

    @Test
    void maxTasksPerWorkerRecyclesWorkers() throws Exception {
        ProcessPool pool = open(PoolSpec.of(1), ProcessPoolOptions.fromOptions(Map.of("maxTasksPerWorker", "2")));
        Map<Long, Integer> perPid = new HashMap<>();
        for (int i = 0; i < 6; i++) perPid.merge(pool.submit(new Pid()).get(30, TimeUnit.SECONDS), 1, Integer::sum);
        assertEquals(Map.of(2, 3), Map.of(2, (int) perPid.values().stream().filter(c -> c == 2).count()), perPid.toString());
        pidsSeen.addAll(perPid.keySet());
    }

    @Test
    void aChunkOfAMapIsOneRoundTripAndTracesTheWorkersCpuTime() throws Exception {
        TraceRecorder trace = new TraceRecorder(1000);
        ProcessPool pool = open(PoolSpec.of(2).withTrace(trace), ProcessPoolOptions.DEFAULT);
        List<Integer> out = new ArrayList<>();
        pool.map(IntStream.range(0, 1000).boxed().iterator(), new FaultJobs.Identity(), MapOptions.chunked(100)).forEachRemaining(out::add);
        assertEquals(IntStream.range(0, 1000).boxed().toList(), out);
        pool.close();
        List<TaskRecord> records = trace.snapshot();
        assertEquals(10, records.size(), "one task (one Task frame, one Result frame) per chunk");
        for (TaskRecord r : records) {
            assertTrue(r.cpuNanos() > 0, "CPU time measured in the worker: " + r);
            assertTrue(r.worker() == 0 || r.worker() == 1, r.toString());
        }
    }

    @Test
    void whatATaskPrintsIsForwardedWithAPrefixAndNeverCorruptsFrames() throws Exception {
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ProcessPool pool = open(1);
            long pid = pool.workerPids().get(0);
            for (int i = 0; i < 3; i++) assertEquals("fine " + i, pool.submit(new Chatty("fine " + i)).get(30, TimeUnit.SECONDS));
            pool.close();
            String log = captured.toString(StandardCharsets.UTF_8);
            String prefix = "[worker 0 pid " + pid + "] ";
            assertTrue(log.contains(prefix + "hello from the task on stdout"), log);
            assertTrue(log.contains(prefix + "hello from the task on stderr"), log);
            assertTrue(log.contains(prefix + "hello from a child process"), log);
        } finally {
            System.setErr(original);
        }
    }

    // ---------------------------------------------------------------- helpers

    private void touch(String name) throws Exception {
        if (!Files.exists(dir.resolve(name))) Files.writeString(dir.resolve(name), "");
    }

    private String awaitFile(String name) throws Exception {
        Path p = dir.resolve(name);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (Files.exists(p)) {
                String s = Files.readString(p);
                if (!s.isEmpty()) return s.trim();
            }
            if (System.nanoTime() > deadline) fail("timed out waiting for " + name);
            Thread.sleep(5);
        }
    }

    private long startedPid(String name) throws Exception {
        return Long.parseLong(awaitFile("started-" + name));
    }

    private int countFiles(String prefix) throws Exception {
        try (var s = Files.list(dir)) {
            return (int) s.filter(p -> p.getFileName().toString().startsWith(prefix)).count();
        }
    }

    private void awaitCount(String prefix, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (countFiles(prefix) < n) {
            if (System.nanoTime() > deadline) fail("timed out waiting for " + n + " files " + prefix + "*");
            Thread.sleep(2);
        }
    }

    /** kill -9, from outside the JVM, as an operator (or the OOM killer) would. */
    static void kill9(long pid) throws Exception {
        Process kill = new ProcessBuilder("kill", "-9", Long.toString(pid)).inheritIO().start();
        assertTrue(kill.waitFor(10, TimeUnit.SECONDS));
        assertEquals(0, kill.exitValue(), "kill -9 " + pid);
    }

    static void awaitGone(long pid, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) fail("process " + pid + " still alive after " + within.toSeconds() + " s");
            Thread.sleep(20);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return "(" + e + ")";
        }
    }
}
