package io.railyard.core.probe;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sampler's CPU against the kernel's: a tree of processes that burn a known amount of CPU,
 * born while it is sampled (each a JVM, whose start-up keeps several cores busy at once, as a
 * worker process's does), one a grandchild. Its total must match what they burned and what the
 * kernel's rusage of the tree says, read from outside by the tree's root (bash's {@code times}:
 * getrusage of the children it waited for); and no window of the series may show more cores than
 * the machine has, beyond the rounding it states.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class CpuAccountingTest {

    private static final double BURN_S = 0.8;

    @Test
    void theTreesCpuMatchesWhatItsChildrenBurnedAndTheKernelsRusage() throws Exception {
        assumeTrue(ProcessTreeProbe.supported(), "needs Linux /proc");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String burn = java + " -XX:+UseSerialGC -Xshare:auto -cp " + System.getProperty("java.class.path") + " "
                + CpuBurner.class.getName() + " " + BURN_S;
        // three burners born 150 ms apart, the last one a grandchild (sh waits for it); then the
        // rusage of every child bash waited for, and a pause until the sampler has its last sample
        String script = "read go\n"
                + burn + " &\n"
                + "sleep 0.15\n" + burn + " &\n"
                + "sleep 0.15\n" + "sh -c '" + burn + "; :' &\n"
                + "wait\ntimes\nread done\n";
        Process root = new ProcessBuilder("bash", "-c", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ResourceSampler.Samples samples;
        List<String> times;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(root.getInputStream(), StandardCharsets.UTF_8));
             Writer in = root.outputWriter(StandardCharsets.UTF_8)) {
            ResourceSampler sampler = ResourceSampler.ofTree(root.pid()).start();
            in.write("go\n");
            in.flush();
            times = List.of(out.readLine(), out.readLine());
            samples = sampler.stop();
            in.write("done\n");
            in.flush();
        } finally {
            assertTrue(root.waitFor(30, TimeUnit.SECONDS));
        }
        double sampled = samples.cpuNanos() / 1e9;
        double kernel = seconds(times.get(1)); // the children's user and system time, to the millisecond
        double known = 3 * BURN_S;
        assertTrue(kernel >= known, "the burners burned at least " + known + " s: the kernel says " + kernel);
        assertEquals(kernel, sampled, 0.05 * kernel, "the sampled total vs the kernel's rusage of the tree");
        assertEquals(known, sampled, 0.10 * known, "the sampled total vs what the burners were told to burn (and their exits)");

        int cores = Runtime.getRuntime().availableProcessors();
        List<CoresBusy.Window> windows = CoresBusy.of(samples.series(), CoresBusy.MIN_WINDOW_NANOS, cores);
        assertTrue(windows.size() >= 5, "a course over time: " + windows);
        for (CoresBusy.Window w : windows)
            assertTrue(w.cores() <= cores + w.quantisation(), "a window shows " + w.cores() + " cores of " + cores
                    + " (+ rounding " + w.quantisation() + "): " + w);
        double burnedInWindows = windows.stream().mapToDouble(w -> w.cores() * (w.endNanos() - w.startNanos())).sum() / 1e9;
        assertEquals(sampled, burnedInWindows, 0.02, "the windows add up to the total");
    }

    @Test
    void aChildFoundLateHasItsCpuSpreadOverTheTimeItRanNotLumpedWhereItWasFound() throws Exception {
        assumeTrue(ProcessTreeProbe.supported(), "needs Linux /proc");
        // one child that burns 1.5 s on about one core; this sampler lists the tree only every 1.2 s,
        // so it first reads the child when it has run for up to 1.2 s
        Process root = new ProcessBuilder("bash", "-c", "read go; " + Path.of(System.getProperty("java.home"), "bin", "java")
                + " -XX:+UseSerialGC -XX:CICompilerCount=2 -cp " + System.getProperty("java.class.path") + " " + CpuBurner.class.getName()
                + " 1.5; read done").redirectError(ProcessBuilder.Redirect.INHERIT).start();
        ResourceSampler.Samples samples;
        try (Writer in = root.outputWriter(StandardCharsets.UTF_8)) {
            ResourceSampler sampler = new ResourceSampler(Duration.ofMillis(20), root.pid(), 1_200_000_000L).start();
            in.write("go\n");
            in.flush();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (sampler.latest().cpuNanos() < 1_450_000_000L && System.nanoTime() < deadline) Thread.sleep(20);
            samples = sampler.stop();
            in.write("done\n");
            in.flush();
        } finally {
            assertTrue(root.waitFor(30, TimeUnit.SECONDS));
        }
        List<ResourceSampler.Sample> s = samples.series();
        for (int i = 1; i < s.size(); i++)
            assertTrue(s.get(i).cpuNanos() >= s.get(i - 1).cpuNanos(), "cumulative CPU never goes back: " + s.get(i - 1) + " then " + s.get(i));
        int cores = Runtime.getRuntime().availableProcessors();
        List<CoresBusy.Window> windows = CoresBusy.of(s, CoresBusy.MIN_WINDOW_NANOS, cores);
        assertTrue(windows.size() >= 8, windows.toString());
        for (CoresBusy.Window w : windows)
            assertTrue(w.cores() <= cores + w.quantisation(), "the CPU found late is not lumped into one window: " + w);
        // it ran from the start: the first half of the run holds a fair part of its CPU, not nothing
        long half = s.getLast().elapsedNanos() / 2;
        long firstHalf = s.stream().filter(x -> x.elapsedNanos() <= half).mapToLong(ResourceSampler.Sample::cpuNanos).max().orElse(0);
        assertTrue(firstHalf > samples.cpuNanos() / 4, "CPU placed in the first half: " + firstHalf / 1e6 + " ms of " + samples.cpuNanos() / 1e6);
    }

    /** Seconds from a line of bash's {@code times}: "0m1.234s 0m0.056s", user then system. */
    private static double seconds(String line) {
        double total = 0;
        for (String part : line.trim().split("\\s+")) {
            int m = part.indexOf('m');
            total += Integer.parseInt(part.substring(0, m)) * 60 + Double.parseDouble(part.substring(m + 1, part.length() - 1));
        }
        return total;
    }
}
