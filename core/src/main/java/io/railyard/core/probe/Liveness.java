package io.railyard.core.probe;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether a process still runs. {@link ProcessHandle#isAlive()} counts a zombie — a process that
 * has exited but that its parent has not reaped yet — as alive. A process that is not our child
 * (a detached server, or the parent of a worker once that parent has died) is reaped by its own
 * parent or by init, maybe late (about 1 s on this machine) or never (a container whose pid 1 does
 * not reap): a watcher that waited for that would outlive what it watches. Here, on Linux, a zombie
 * counts as gone.
 *
 * <p>Stateless and thread-safe.
 */
public final class Liveness {
    private static final long POLL_MILLIS = 200;

    private Liveness() {}

    /**
     * Starts a daemon thread, named {@code threadName}, that runs {@code then} once the process
     * {@code pid} has ended (checked every 200 ms): how a child process (a worker, a member, a
     * server) ends with the process that started it, even one killed with no chance to say so.
     * When {@code pid} is this process's parent, the check is {@link #parentPid()}, which sees the
     * parent's death at once and cannot be fooled by a reused pid; otherwise {@link #running}.
     * Interrupting the thread stops the watch without running {@code then}.
     */
    public static Thread whenGone(long pid, String threadName, Runnable then) {
        Thread t = new Thread(() -> {
            try {
                if (parentPid() == pid) {
                    while (parentPid() == pid) Thread.sleep(POLL_MILLIS);
                } else {
                    Optional<ProcessHandle> process = ProcessHandle.of(pid);
                    while (process.isPresent() && running(process.get())) Thread.sleep(POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                return; // told to stop watching
            }
            then.run();
        }, threadName);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** True while {@code process} runs: alive, and (on Linux) not a zombie waiting to be reaped. */
    public static boolean running(ProcessHandle process) {
        if (!process.isAlive()) return false;
        String stat = ProcFs.read(Path.of("/proc", Long.toString(process.pid()), "stat"));
        if (stat == null) return process.isAlive(); // no /proc here, or it is gone since
        int end = stat.lastIndexOf(')'); // the command name may hold spaces and parentheses
        char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : 'R';
        return state != 'Z' && state != 'X';
    }

    /**
     * This process's parent, from field 4 of /proc/self/stat, or -1 where /proc cannot be read. The
     * kernel re-parents a process's children the moment it exits (before anyone reaps it), so a
     * child that polls this sees its parent's death at once, zombie or not, and a pid that the
     * parent's pid is later reused for is never mistaken for the parent. Cheap: one small read
     * ({@link ProcFs#read}), none of {@link ProcessHandle}'s machinery.
     */
    public static long parentPid() {
        String line = selfStat();
        int end = line == null ? -1 : line.lastIndexOf(')'); // the command name may hold spaces and parentheses
        if (end < 0 || end + 4 >= line.length()) return -1;
        int from = end + 4, to = line.indexOf(' ', from); // ") S 1234 ..."
        return number(line, from, to < 0 ? line.length() : to);
    }

    /**
     * This process's pid, from field 1 of /proc/self/stat: what {@code ProcessHandle.current().pid()}
     * says, without its set-up (a few ms of a fresh JVM's start-up). Falls back to that where /proc
     * cannot be read.
     */
    public static long pid() {
        String line = selfStat();
        int space = line == null ? -1 : line.indexOf(' ');
        long pid = space < 0 ? -1 : number(line, 0, space);
        return pid > 0 ? pid : ProcessHandle.current().pid();
    }

    private static String selfStat() {
        return ProcFs.read("/proc/self/stat");
    }

    private static long number(String s, int from, int to) {
        try {
            return Long.parseLong(s, from, to, 10);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return -1;
        }
    }
}
