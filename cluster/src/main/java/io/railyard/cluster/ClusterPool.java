package io.railyard.cluster;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.HazelcastClientOfflineException;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.client.config.ClientConnectionStrategyConfig;
import com.hazelcast.cluster.InitialMembershipEvent;
import com.hazelcast.cluster.InitialMembershipListener;
import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.core.MemberLeftException;
import com.hazelcast.spi.exception.RetryableException;
import com.hazelcast.spi.exception.TargetDisconnectedException;
import io.railyard.core.PoolSpec;
import io.railyard.core.RemoteException;
import io.railyard.core.TaskFuture;
import io.railyard.core.pool.AbstractTaskPool;
import io.railyard.core.pool.RemoteQueue;
import io.railyard.core.pool.RemoteQueue.Answer;
import io.railyard.core.pool.RemoteQueue.Queued;
import io.railyard.core.pool.TaskRun;
import io.railyard.core.probe.RemoteResources;
import io.railyard.core.codec.AllowList;
import io.railyard.core.codec.PayloadCodec;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code cluster} model (beyond the seed): railyard tasks on Hazelcast's distributed executor,
 * for work that outgrows one machine. With no address the pool starts one member inside this JVM
 * (a cluster of one, on loopback), so it works with no set-up; with {@code cluster=host:port,...}
 * it connects as a client to members started with {@code railyard member}, on this machine or others.
 *
 * <pre>
 *  submitting thread              pool (this JVM)                          member (any JVM)
 *  -----------------              ---------------                          ----------------
 *  submit(task)
 *    encode with the codec (refused here, naming the class)
 *    free slot? --no--> [ queue ]        a slot frees: next queued task
 *       |yes                                   |
 *       +-------> pick the least-loaded member (in flight / its threads)
 *                 start the run (its timeout starts), send RemoteTask ===> executor "railyard":
 *                                                                           decode (member's allow-list)
 *                 Reply (Done | Failed) or a Hazelcast error   <=========   run, encode the answer
 *                   member lost? and attempts left: send to another member
 *                   else: free the slot (the next queued task goes out),
 *                         then decode and complete the task's future
 *  timeout / cancel ---------------> CancelTask (control executor) ========> interrupt the task's thread,
 *                                                                           or skip it when it arrives
 *  a member leaves ----------------> its tasks are sent elsewhere (or fail: MemberDiedException)
 * </pre>
 *
 * <h2>Same contract as every model</h2>
 * At most {@code concurrency} tasks are out on members at once; the rest wait in this pool, so a
 * queued task can be cancelled without reaching a member, and a timeout counts time from sending.
 * Tasks, results and exceptions are encoded with the {@code processes} model's codec and
 * allow-list rules ({@link ClusterPoolOptions#allow()}); a member decodes with its own allow-list;
 * an exception whose class may not be decoded arrives as a {@link RemoteException} copy with the
 * remote stack. A timed-out or cancelled task is cancelled on its member, which interrupts its
 * thread; its slot is free when the member answers. Like {@code threads}, a task that ignores
 * interrupts keeps its member thread (and its slot) until it returns; its result is dropped. A
 * timeout bounds all the runs of a task together. {@link #map} sends one call per chunk.
 * With a cluster secret ({@link ClusterPoolOptions#secret()}), every task and cancel is signed and
 * every answer checked before it is decoded ({@link MessageAuth}); an answer that fails fails its
 * task with a {@link SecurityException}.
 *
 * <h2>Faults: at-least-once</h2>
 * When a member leaves the cluster (killed, crashed, shut down, cut off) before answering, each of
 * its tasks is sent to another member, up to {@code maxAttempts} runs in all; then, or when no
 * member is left, the task fails with {@link MemberDiedException}. A task may therefore run more
 * than once, partly or fully: <b>tasks sent to a cluster must be idempotent</b> (running one twice
 * has the effect of running it once), or must tolerate a repeat. No task waits forever: the loss of
 * a member is noticed when its connection closes (at once for a killed process) or when its
 * heartbeats stop (10 s), and a client that loses the whole cluster gives up after
 * {@code connectTimeoutMs}, failing what is left.
 *
 * <h2>Who touches what</h2>
 * The queue, the slot count, the members and the current attempt of each run are guarded by
 * {@code guard}, held only for these small updates, never while calling Hazelcast or a
 * {@link TaskRun}. Answers arrive on Hazelcast threads (the member's executor thread for the
 * embedded member, the client's response thread otherwise), membership changes on its event thread.
 * An attempt is settled once ({@code settled}), by its answer or by its member's departure, whichever
 * comes first; a later answer of a settled attempt is dropped, so no result is delivered twice.
 *
 * <p>Thread-safe, like every {@link io.railyard.core.TaskPool}. Options: {@link ClusterPoolOptions}.
 */
public final class ClusterPool extends AbstractTaskPool implements RemoteResources {

    private static final AtomicInteger CLIENTS = new AtomicInteger();
    /** Runs an answer's callback on the thread that completes the call, saving a thread hop per task. */
    private static final Executor DIRECT = Runnable::run;
    /** Hand-offs waiting for the hand-off loop running on this thread, if one is; see {@link #handOff}. */
    private static final ThreadLocal<ArrayDeque<Runnable>> HAND_OFFS = new ThreadLocal<>();

    /** A member as this pool sees it; {@code inFlight}, {@code suspect} and {@code gone} guarded. */
    private static final class MemberSlot {
        final Member member;
        final int index;
        final int threads;
        final String address;
        int inFlight;
        /** A task sent to it failed because it was unreachable: prefer other members. */
        boolean suspect;
        boolean gone;

        MemberSlot(Member member, int index, int threads) {
            this.member = member;
            this.index = index;
            this.threads = threads;
            this.address = member.getAddress().getHost() + ":" + member.getAddress().getPort();
        }
    }

    /**
     * One sending of a task to a member: the first, or a resubmission after a member was lost.
     * {@code SENT --answer, or its member's departure (first one wins)--> SETTLED}; a settled attempt
     * whose member was lost may be followed by a new attempt of the same task on another member.
     */
    private static final class Attempt {
        final Queued task;
        final MemberSlot slot;
        final int number;
        final AtomicBoolean settled = new AtomicBoolean();

        Attempt(Queued task, MemberSlot slot, int number) {
            this.task = task;
            this.slot = slot;
            this.number = number;
        }

        TaskRun<?> run() {
            return task.run();
        }
    }

    private final ClusterPoolOptions options;
    /** Signs tasks and cancels, checks answers: the cluster's secret, or none. */
    private final MessageAuth auth;
    private final HazelcastInstance hz;
    /** The member this pool started and stops, or null. */
    private final ClusterMember embedded;
    /** True when this pool created {@link #hz} (its embedded member or its client) and shuts it down. */
    private final boolean ownsInstance;
    private final IExecutorService executor;
    private final IExecutorService control;
    /** Names this pool's tasks on members, which serve many pools. */
    private final UUID poolId = UUID.randomUUID();
    private final UUID membershipListener;
    private final long startupNanos;

    private final Object guard = new Object();
    private final RemoteQueue queue;                                           // guarded (its queue; encoding and decoding are not)
    private int sending;                                                       // guarded: slots taken
    private final Map<UUID, MemberSlot> members = new HashMap<>();             // guarded
    private final List<MemberSlot> memberOrder = new ArrayList<>();           // guarded: members, in index order
    private final Map<TaskRun<?>, Attempt> current = new HashMap<>();          // guarded
    private int rotor;                                                         // guarded: spreads ties

    /** A pool configured by the spec's string options (see {@link ClusterPoolOptions}). */
    public ClusterPool(PoolSpec spec) {
        this(spec, ClusterPoolOptions.fromOptions(spec.options()));
    }

    /** Convenience: an embedded member with {@code concurrency} threads. */
    public ClusterPool(int concurrency) {
        this(PoolSpec.of(concurrency));
    }

    /**
     * Starts the embedded member, or connects to the cluster, and returns when tasks can be sent.
     *
     * @throws IllegalArgumentException if an option is wrong, or the cluster cannot be reached
     *                                  within {@code connectTimeoutMs} (a wrong address or name)
     * @throws IllegalStateException    if the embedded member cannot start
     */
    public ClusterPool(PoolSpec spec, ClusterPoolOptions options) {
        this(spec, options, Opened.open(spec, options));
    }

    /**
     * A pool on an instance the caller started and keeps: a member or client of a railyard cluster
     * (members started with {@link ClusterMember#start}). Closing the pool leaves the instance running.
     */
    public static ClusterPool on(HazelcastInstance instance, PoolSpec spec, ClusterPoolOptions options) {
        return new ClusterPool(spec, options, new Opened(instance, null, false, 0));
    }

    /** What opening produced: the instance, the member started for the pool, and how long it took. */
    private record Opened(HazelcastInstance hz, ClusterMember embedded, boolean owns, long nanos) {
        static Opened open(PoolSpec spec, ClusterPoolOptions o) {
            long t0 = System.nanoTime();
            if (o.embedded()) {
                int threads = o.memberThreads() > 0 ? o.memberThreads() : spec.concurrency();
                ClusterMember m = ClusterMember.embedded(threads, o.allow(), o.codec());
                return new Opened(m.instance(), m, true, System.nanoTime() - t0);
            }
            return new Opened(connect(o), null, true, System.nanoTime() - t0);
        }
    }

    private ClusterPool(PoolSpec spec, ClusterPoolOptions options, Opened opened) {
        super("cluster", spec);
        this.options = options;
        this.hz = opened.hz;
        this.embedded = opened.embedded;
        this.ownsInstance = opened.owns;
        this.startupNanos = opened.nanos;
        this.auth = options.secret() == null ? MessageAuth.NONE : options.secret().auth();
        try {
            this.queue = new RemoteQueue(PayloadCodec.create(options.codec(), AllowList.withDeclared(options.allow())), "a cluster member");
            this.executor = hz.getExecutorService(ClusterMember.EXECUTOR);
            this.control = hz.getExecutorService(ClusterMember.CONTROL_EXECUTOR);
            this.membershipListener = hz.getCluster().addMembershipListener(new Membership());
            synchronized (guard) {
                if (memberOrder.stream().noneMatch(m -> m.threads > 0))
                    throw new ClusterUnreachableException("cluster '" + options.clusterName() + "' has no railyard member"
                            + " (a member started with 'railyard member' or ClusterMember.start)", null);
            }
        } catch (RuntimeException | Error e) {
            if (ownsInstance) shutDownInstance();
            throw e;
        }
    }

    /** A client of the cluster at {@code o.cluster()}, or a one-line error within {@code connectTimeout}. */
    private static HazelcastInstance connect(ClusterPoolOptions o) {
        ClientConfig c = new ClientConfig();
        c.setInstanceName("railyard-client-" + CLIENTS.incrementAndGet());
        c.setClusterName(o.secret() == null ? o.clusterName() : o.secret().hazelcastClusterName(o.clusterName()));
        Tuning.client(c);
        c.getNetworkConfig().setAddresses(new ArrayList<>(o.cluster()))
                .setConnectionTimeout((int) Math.min(o.connectTimeout().toMillis(), 5_000));
        ClientConnectionStrategyConfig strategy = c.getConnectionStrategyConfig();
        strategy.setAsyncStart(false).setReconnectMode(ClientConnectionStrategyConfig.ReconnectMode.ON);
        strategy.getConnectionRetryConfig().setClusterConnectTimeoutMillis(o.connectTimeout().toMillis())
                .setInitialBackoffMillis(100).setMaxBackoffMillis(1_000);
        Wire.configure(c.getSerializationConfig());
        try {
            return HazelcastClient.newHazelcastClient(c);
        } catch (RuntimeException e) {
            throw new ClusterUnreachableException("cannot reach a railyard cluster named '" + o.clusterName() + "' at "
                    + String.join(",", o.cluster()) + " within " + o.connectTimeout().toMillis()
                    + " ms: start members with 'railyard member', or fix the address (and clusterName)"
                    + (o.secret() == null ? ", or give the members' secret (secretFile=F or " + ClusterSecret.ENV + ")"
                    : ", or give the members' secret: this one is not theirs"), e);
        }
    }

    // ------------------------------------------------------------------ introspection

    /** How long opening took: starting the embedded member or connecting to the cluster. */
    public Duration startupTime() {
        return Duration.ofNanos(startupNanos);
    }

    /** The addresses ({@code host:port}) of the members this pool can send tasks to now. */
    public List<String> memberAddresses() {
        synchronized (guard) {
            return memberOrder.stream().filter(m -> !m.gone && m.threads > 0).map(m -> m.address).toList();
        }
    }

    /** The member this pool started inside its JVM, or {@code null} when it is a client. */
    public ClusterMember embeddedMember() {
        return embedded;
    }

    /** How long a member may take to say what it uses before a reading leaves it out. */
    private static final long RESOURCES_TIMEOUT_MILLIS = 500;

    /**
     * The CPU and memory of the members outside this JVM (all of them for a client; none for an
     * embedded member alone, which this JVM's own figures already hold). A member that does not
     * answer within {@value #RESOURCES_TIMEOUT_MILLIS} ms is left out of this reading.
     */
    @Override
    public List<Remote> readRemote() {
        List<Remote> read = new ArrayList<>();
        try {
            List<Member> others = hz.getCluster().getMembers().stream()
                    .filter(m -> !m.localMember()).toList(); // a member in this JVM is in its own figures
            if (others.isEmpty()) return read;
            Map<Member, Future<long[]>> answers = control.submitToMembers(new ResourcesTask(), others);
            long deadline = System.nanoTime() + RESOURCES_TIMEOUT_MILLIS * 1_000_000;
            for (Map.Entry<Member, Future<long[]>> e : answers.entrySet()) {
                try {
                    long[] r = e.getValue().get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
                    read.add(new Remote(e.getKey().getUuid().toString(), r[0], r[1]));
                } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException ex) {
                    // gone, busy or unreachable: left out of this reading
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the instance is shutting down: nothing to read
        }
        return read;
    }

    // ------------------------------------------------------------------ membership

    /** Keeps {@link #members} current; on Hazelcast's event thread (or the opening thread for the first event). */
    private final class Membership implements InitialMembershipListener {
        @Override
        public void init(InitialMembershipEvent event) {
            for (Member m : event.getMembers()) added(m);
        }

        @Override
        public void memberAdded(MembershipEvent event) {
            added(event.getMember());
        }

        @Override
        public void memberRemoved(MembershipEvent event) {
            List<Attempt> orphans = new ArrayList<>();
            synchronized (guard) {
                MemberSlot slot = members.get(event.getMember().getUuid());
                if (slot == null) return;
                slot.gone = true;
                for (Attempt a : current.values()) if (a.slot == slot) orphans.add(a);
            }
            // don't wait for each call to fail on its own: the member is gone, its answers will not come
            for (Attempt a : orphans) settle(a, null, new MemberLeftException(event.getMember()));
        }

        private void added(Member m) {
            synchronized (guard) {
                if (members.containsKey(m.getUuid())) return;
                MemberSlot slot = new MemberSlot(m, memberOrder.size(), threadsOf(m));
                members.put(m.getUuid(), slot);
                memberOrder.add(slot);
            }
        }

        /** The member's executor threads; 0 for a member that is not a railyard member (never picked). */
        private static int threadsOf(Member m) {
            try {
                String t = m.getAttribute(ClusterMember.THREADS_ATTRIBUTE);
                return t == null ? 0 : Math.max(0, Integer.parseInt(t));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }

    /**
     * The member with the fewest tasks in flight per thread, not gone, preferring those not suspect;
     * ties go round-robin. Null when there is none. Caller holds {@code guard}.
     */
    private MemberSlot pickMember() {
        MemberSlot best = null;
        int n = memberOrder.size();
        for (int i = 0; i < n; i++) {
            MemberSlot s = memberOrder.get((rotor + i) % n);
            if (s.gone || s.threads == 0) continue;
            if (best == null || better(s, best)) best = s;
        }
        rotor++;
        return best;
    }

    private static boolean better(MemberSlot s, MemberSlot than) {
        if (s.suspect != than.suspect) return !s.suspect;
        return (long) s.inFlight * than.threads < (long) than.inFlight * s.threads;
    }

    /** Records a new attempt of {@code q} on {@code slot}. Caller holds {@code guard}. */
    private Attempt attempt(Queued q, MemberSlot slot, int number) {
        Attempt a = new Attempt(q, slot, number);
        slot.inFlight++;
        current.put(q.run(), a);
        return a;
    }

    // ------------------------------------------------------------------ dispatching

    @Override
    protected void dispatch(TaskRun<?> run) {
        if (!hz.getLifecycleService().isRunning()) throw new RejectedExecutionException(instanceGone() + ": open a new pool");
        Queued q = queue.encode(run);
        synchronized (guard) {
            if (sending >= concurrency) {
                queue.add(q);
                return;
            }
            sending++;
        }
        launch(q);
    }

    /** Sends {@code q}, which holds a slot, to a member; skips tasks cancelled meanwhile. */
    private void launch(Queued q) {
        while (q != null) {
            Attempt a;
            synchronized (guard) {
                MemberSlot slot = pickMember();
                a = slot == null ? null : attempt(q, slot, 1);
            }
            if (a == null) {
                Queued next = freeSlot();
                q.failUnsent(new IllegalStateException("no railyard member is left in cluster '"
                        + options.clusterName() + "' to run task " + q.run().taskId() + ": start members with 'railyard member'"));
                q = next;
                continue;
            }
            if (q.run().start(a.slot.index)) {
                send(a);
                return;
            }
            synchronized (guard) { // cancelled while queued
                a.slot.inFlight--;
                current.remove(q.run());
            }
            q = freeSlot();
        }
    }

    @SuppressWarnings("unchecked")
    private void send(Attempt a) {
        Future<Reply> f;
        try {
            long id = a.run().taskId();
            byte[] mac = auth.task(poolId, id, a.slot.index, a.task.payload());
            f = executor.submitToMember(new RemoteTask(poolId, id, a.slot.index, a.task.payload(), mac), a.slot.member);
        } catch (RuntimeException e) {
            settle(a, null, e);
            return;
        }
        ((CompletionStage<Reply>) f).whenCompleteAsync((r, e) -> settle(a, r, e), DIRECT);
    }

    /** Settles attempt {@code a} once: resubmits it if its member was lost, else delivers the answer. */
    private void settle(Attempt a, Reply reply, Throwable error) {
        if (!a.settled.compareAndSet(false, true)) return;
        TaskRun<?> run = a.run();
        if (error != null && !run.future().isDone() && !hz.getLifecycleService().isRunning()) {
            error = new MemberDiedException(a.slot.address, run.taskId(), a.number, instanceGone(), TaskFuture.unwrap(error));
        }
        boolean lost = error != null && memberLost(error) && !run.future().isDone();
        Attempt retry = null;
        synchronized (guard) {
            a.slot.inFlight--;
            if (current.get(run) == a) current.remove(run);
            if (error == null) a.slot.suspect = false; // it answers again (a client reconnected to it)
            if (lost) {
                a.slot.suspect = true;
                MemberSlot other = a.number < options.maxAttempts() ? pickMember() : null;
                if (other != null) retry = attempt(a.task, other, a.number + 1);
            }
        }
        if (retry != null) {
            send(retry);
            return;
        }
        if (lost) {
            error = new MemberDiedException(a.slot.address, run.taskId(), a.number, a.number < options.maxAttempts()
                    ? "no other member is left to run it" : "gave up after maxAttempts=" + options.maxAttempts(), TaskFuture.unwrap(error));
        }
        Queued next = freeSlot(); // keep members busy before running the caller's completion callbacks
        if (next != null) handOff(next);
        deliver(run, a.slot, reply, TaskFuture.unwrap(error));
    }

    /**
     * Launches a queued task into a freed slot. A send can fail at once (a client that lost the
     * cluster), which settles it and frees the slot again on the same thread: handing off the next
     * one there would recurse once per queued task, so nested hand-offs wait for the outer loop.
     */
    private void handOff(Queued next) {
        ArrayDeque<Runnable> pending = HAND_OFFS.get();
        if (pending != null) {
            pending.add(() -> launch(next));
            return;
        }
        pending = new ArrayDeque<>();
        HAND_OFFS.set(pending);
        try {
            launch(next);
            Runnable r;
            while ((r = pending.pollFirst()) != null) r.run();
        } finally {
            HAND_OFFS.remove();
        }
    }

    /** Hands the slot of a finished task to the next pending queued task, or frees it. */
    private Queued freeSlot() {
        synchronized (guard) {
            Queued q = queue.nextPending();
            if (q == null) sending--;
            return q;
        }
    }

    private void deliver(TaskRun<?> run, MemberSlot slot, Reply reply, Throwable error) {
        if (error != null) {
            run.fail(error);
            return;
        }
        if (!auth.replyValid(poolId, run.taskId(), reply)) {
            run.fail(new SecurityException("the answer to task " + run.taskId() + " does not carry a valid authentication code under"
                    + " the cluster's secret (a member without it, or a forged answer): dropped unread"));
            return;
        }
        run.cpuTime(reply.cpuNanos());
        stampStart(run, slot, reply);
        Answer answer = switch (reply) {
            case Reply.Done d -> queue.result(run.taskId(), d.value());
            case Reply.Failed f -> queue.failure(f.exception(), () -> remoteCopy(f));
        };
        answer.deliver(run);
    }

    /**
     * When the task's code began on its member, on this JVM's clock, for the trace's submit-to-start:
     * the member's own stamp when it reads this JVM's clock, as a member in this JVM does, and a
     * member elsewhere on this machine too (System.nanoTime() is CLOCK_MONOTONIC in every process of
     * a Linux machine). That is checked for every task: the member's start and end must lie inside
     * the task's round trip here. A member on another machine reads another clock; the start is then
     * the round trip minus the run time (the answer's arrival here minus the member's run time),
     * which also counts the answer's way back, and is marked as an estimate.
     */
    private static void stampStart(TaskRun<?> run, MemberSlot slot, Reply reply) {
        long start = reply.startNanos();
        if (start < 0) return; // its code never began: the trace keeps when it was sent
        long now = System.nanoTime();
        boolean sameClock = start - run.dispatchedNanos() >= 0 && now - (start + reply.runNanos()) >= 0;
        if (slot.member.localMember() || sameClock) run.startedAt(start, false);
        else run.startedAt(now - reply.runNanos(), true);
    }

    /** The member's remote copy of a task's exception (any allow-list admits it), for when the original does not decode here. */
    private Throwable remoteCopy(Reply.Failed f) {
        Throwable copy = queue.throwable(f.copy());
        return copy != null ? copy
                : new RemoteException("unknown", "a member failed a task and its exception could not be decoded", new StackTraceElement[0], null);
    }

    /** Why the pool's Hazelcast instance stopped while the pool still runs. */
    private String instanceGone() {
        return ownsInstance && embedded == null
                ? "the pool lost every member of cluster '" + options.clusterName() + "' and gave up reconnecting after connectTimeoutMs="
                + options.connectTimeout().toMillis()
                : "the pool's Hazelcast instance was shut down";
    }

    /** True if {@code error} says the call's member left or could not be reached (not that the task failed). */
    private boolean memberLost(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RetryableException || t instanceof TargetDisconnectedException || t instanceof HazelcastClientOfflineException)
                return true;
            if (t instanceof HazelcastInstanceNotActiveException) return hz.getLifecycleService().isRunning(); // the member's, not ours
            if (t.getCause() == t) break;
        }
        return false;
    }

    // ------------------------------------------------------------------ stopping

    /**
     * Cancels the task on its member, which interrupts its thread (or skips it, if the cancel gets
     * there first); the member's answer then settles the attempt and frees the slot. The attempt is
     * registered before its run starts, so a timeout or cancel always finds its member.
     */
    @Override
    protected void stopRunning(TaskRun<?> run) {
        Attempt a;
        synchronized (guard) {
            a = current.get(run);
        }
        if (a == null) return; // answered meanwhile
        try {
            control.submitToMember(new CancelTask(poolId, run.taskId(), auth.cancel(poolId, run.taskId())), a.slot.member);
        } catch (RuntimeException e) {
            // the member or this client is gone: the loss settles the attempt
        }
    }

    @Override
    protected void releaseWorkers() {
        // may run on a Hazelcast thread (the one that finished the last task): stop Hazelcast from another
        releaseOnOwnThread("railyard-cluster-close", () -> {
            if (ownsInstance) shutDownInstance();
            else {
                try {
                    hz.getCluster().removeMembershipListener(membershipListener);
                } catch (RuntimeException e) {
                    // the instance is already down: nothing to remove
                }
            }
        });
    }

    private void shutDownInstance() {
        if (embedded != null) embedded.close();
        else hz.getLifecycleService().terminate();
    }

    @Override
    public String toString() {
        return super.toString() + (embedded != null ? " on an embedded member" : " on cluster '" + options.clusterName() + "'");
    }
}
