package io.railyard.cli;

import io.railyard.bench.harness.Harness;
import io.railyard.bench.harness.Trial;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows the harness's progress: a live bar per run on a terminal, one line per run otherwise (so
 * logs and CI output stay readable). Listener calls arrive from worker threads; the bar is
 * thread-safe, and the line output happens on the harness thread.
 */
final class Progress implements Harness.Listener, AutoCloseable {
    private final PrintWriter err;
    private final boolean terminal;
    private volatile ProgressBar bar;

    private Progress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** A live bar when the launcher says stderr is a terminal ({@code -Drailyard.tty=true}), else lines. */
    static Progress forTerminal(PrintWriter err) {
        return new Progress(err, Boolean.getBoolean("railyard.tty"));
    }

    @Override
    public void runStarted(String label, long tasks) {
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(tasks)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(100).continuousUpdate()
                    .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
        }
    }

    @Override
    public void taskDone(long done, long failed) {
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
        ProgressBar b = bar;
        bar = null;
        if (b != null) b.close();
    }
}
