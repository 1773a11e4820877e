package io.railyard.cli;

import io.railyard.bench.harness.Harness;
import io.railyard.bench.harness.Trial;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows the harness's progress: a live bar per run on a terminal; otherwise (a log, a pipe, CI) a
 * line every {@value #LINE_SECONDS} s while a run lasts, so a long run is seen to move, and one
 * line per run. Listener calls arrive from worker threads; the bar is thread-safe, the periodic
 * lines come from a ticker thread of their own, and the per-run line from the harness thread.
 */
final class Progress implements Harness.Listener, AutoCloseable {
    /** Seconds between progress lines when stderr is not a terminal. */
    static final long LINE_SECONDS = 5;

    private final PrintWriter err;
    private final boolean terminal;
    private volatile ProgressBar bar;
    private volatile long done, failed;
    private volatile Thread ticker;

    private Progress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** A live bar when the launcher says stderr is a terminal ({@code -Drailyard.tty=true}), else lines. */
    static Progress forTerminal(PrintWriter err) {
        return new Progress(err, Boolean.getBoolean("railyard.tty"));
    }

    private volatile long tasks;

    @Override
    public void runStarted(String label, long tasks) {
        done = 0;
        failed = 0;
        this.tasks = tasks;
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(tasks)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(100).continuousUpdate()
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
        }
    }

    /** Lines start once the pool is open, so an error while it opens stays the only line. */
    @Override
    public void poolOpened(String label) {
        if (terminal) return;
        long t0 = System.nanoTime();
        long n = tasks;
        Thread t = new Thread(() -> tick(label, n, t0), "railyard-progress");
        t.setDaemon(true);
        ticker = t;
        t.start();
    }

    /** One line every {@value #LINE_SECONDS} s until the run ends. */
    private void tick(String label, long tasks, long t0) {
        while (true) {
            try {
                Thread.sleep(LINE_SECONDS * 1000);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (err) {
                err.println(String.format(Locale.ROOT, "  %s: %d of %d tasks done (%d failed) after %.0f s", label, done + failed, tasks,
                        failed, (System.nanoTime() - t0) / 1e9));
                err.flush();
            }
        }
    }

    @Override
    public void taskDone(long done, long failed) {
        this.done = done;
        this.failed = failed;
        ProgressBar b = bar;
        if (b != null) b.stepTo(done + failed);
    }

    @Override
    public void runFinished(String label, Trial t) {
        close();
        err.println(String.format(Locale.ROOT, "  %s: wall %.3f s, cpu %.3f s, peak rss %.1f MiB, %d ok, %d failed",
                label, t.wallS(), t.cpuS(), t.peakRssBytes() / 1048576.0, t.ok(), t.failed()));
        err.flush();
    }

    @Override
    public void close() {
        Thread t = ticker;
        ticker = null;
        if (t != null) t.interrupt();
        ProgressBar b = bar;
        bar = null;
        if (b != null) b.close();
    }
}
