package io.railyard.core.autoscale.jobs;

import io.railyard.core.BlockingTask;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Tasks that use real memory, for the autoscaler's tests on worker processes (named records: allow-listed by package). */
public final class MemoryJobs {
    private MemoryJobs() {}

    /** The package pattern the tests add to the processes allow-list. */
    public static final String ALLOW = "io.railyard.core.autoscale.jobs.*";

    /** Memory that is really resident: every page written. */
    static byte[] touched(int mib) {
        byte[] b = new byte[mib << 20];
        for (int i = 0; i < b.length; i += 4096) b[i] = 1;
        return b;
    }

    /** Holds {@code mib} MiB for {@code millis}, then returns its worker's pid. */
    public record Hold(int mib, long millis) implements BlockingTask<Long> {
        @Override
        public Long call() throws InterruptedException {
            byte[] b = touched(mib);
            Thread.sleep(millis);
            long read = b.length > 0 ? b[(b.length - 1) & ~4095] : 0; // read after the sleep: b is held until here
            return ProcessHandle.current().pid() + read - read;
        }
    }

    /**
     * Allocates {@code mibPerStep} MiB every {@code stepMillis} and keeps all of it, until the file
     * {@code stop} exists in {@code dir} (ignoring interrupts: in a worker, only killing the process
     * stops it early); returns the MiB it held.
     */
    public record Grow(String dir, int mibPerStep, long stepMillis) implements BlockingTask<Integer> {
        @Override
        public Integer call() {
            List<byte[]> kept = new ArrayList<>();
            while (!Files.exists(Path.of(dir, "stop"))) {
                kept.add(touched(mibPerStep));
                try {
                    Thread.sleep(stepMillis);
                } catch (InterruptedException ignored) {
                    // see above
                }
            }
            return kept.size() * mibPerStep;
        }
    }
}
