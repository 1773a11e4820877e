package io.railyard.cli;

import io.railyard.bench.compare.Cell;
import io.railyard.bench.compare.CompareRunner;
import io.railyard.bench.compare.Fmt;
import io.railyard.bench.harness.Stats;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;

/**
 * Shows a comparison's progress: a live bar per cell on a terminal (all of the cell's runs, warm-up
 * included), and one line per finished cell. {@link #cellProgress} arrives from worker threads (the
 * bar is thread-safe); the rest on the compare thread.
 */
final class CompareProgress implements CompareRunner.Listener, AutoCloseable {
    private final PrintWriter err;
    private final boolean terminal;
    private volatile ProgressBar bar;
    private String label = "";

    private CompareProgress(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    static CompareProgress forTerminal(PrintWriter err) {
        return new CompareProgress(err, Boolean.getBoolean("railyard.tty"));
    }

    @Override
    public void cellStarted(int index, int total, String label, long steps) {
        this.label = "[" + index + "/" + total + "] " + label;
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(this.label).setInitialMax(Math.max(1, steps))
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(100).continuousUpdate()
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
        }
    }

    @Override
    public void cellProgress(long done) {
        ProgressBar b = bar;
        if (b != null) b.stepTo(done);
    }

    @Override
    public void cellFinished(Cell cell) {
        close();
        String what = cell.ok()
                ? "wall " + Fmt.seconds(Stats.median(cell.trials(), t -> t.wallS())) + " (median of " + cell.trials().size() + ")"
                : cell.status() + ": " + cell.reason();
        err.println("  " + label + ": " + what);
        err.flush();
    }

    @Override
    public void close() {
        ProgressBar b = bar;
        bar = null;
        if (b != null) b.close();
    }
}
