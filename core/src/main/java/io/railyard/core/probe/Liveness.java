package io.railyard.core.probe;

import java.nio.file.Path;

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
    private Liveness() {}

    /** True while {@code process} runs: alive, and (on Linux) not a zombie waiting to be reaped. */
    public static boolean running(ProcessHandle process) {
        if (!process.isAlive()) return false;
        String stat = ProcFs.read(Path.of("/proc", Long.toString(process.pid()), "stat"));
        if (stat == null) return process.isAlive(); // no /proc here, or it is gone since
        int end = stat.lastIndexOf(')'); // the command name may hold spaces and parentheses
        char state = end >= 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : 'R';
        return state != 'Z' && state != 'X';
    }
}
