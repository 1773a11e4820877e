package io.railyard.cli;

import io.railyard.crawl.CrawlProgress;
import io.railyard.crawl.Crawler;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * The crawl's live progress: pages done, pages per second, errors, queue size. A bar on a terminal
 * (the launcher sets {@code -Drailyard.tty=true} when stderr is one), else a line every 5 seconds so
 * that logs stay readable.
 *
 * <p>Called on the crawler's coordinator thread only; {@link #close} on the command's thread after
 * the crawl returned.
 */
final class CrawlProgressBar implements Crawler.Listener, AutoCloseable {

    private static final long LINE_EVERY_NANOS = 5_000_000_000L;

    private final PrintWriter err;
    private final ProgressBar bar;
    private long nextLine = LINE_EVERY_NANOS;

    private CrawlProgressBar(PrintWriter err, ProgressBar bar) {
        this.err = err;
        this.bar = bar;
    }

    /** @param expected URLs the crawl should end with, or -1 when unknown (the bar then only counts) */
    static CrawlProgressBar forTerminal(PrintWriter err, long expected) {
        ProgressBar bar = null;
        if (Boolean.getBoolean("railyard.tty")) {
            bar = new ProgressBarBuilder().setTaskName("crawl").setInitialMax(expected).setUnit(" pages", 1)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(200).continuousUpdate()
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).build();
        }
        return new CrawlProgressBar(err, bar);
    }

    @Override
    public void progress(CrawlProgress p) {
        String extra = String.format(Locale.ROOT, "%,.0f/s, %,d errors, queue %,d", p.perSecond(), p.errors(), p.queued());
        if (bar != null) {
            if (bar.getMax() >= 0 && p.done() > bar.getMax()) bar.maxHint(p.done());
            bar.stepTo(p.done());
            bar.setExtraMessage(" " + extra);
            return;
        }
        if (p.finished() || p.elapsedNanos() < nextLine) return;
        nextLine = p.elapsedNanos() + LINE_EVERY_NANOS;
        err.printf(Locale.ROOT, "crawl: %,d done, %s, %d in flight, %.0f s%n", p.done(), extra, p.inFlight(), p.elapsedNanos() / 1e9);
        err.flush();
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
