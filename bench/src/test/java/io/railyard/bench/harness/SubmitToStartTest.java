package io.railyard.bench.harness;

import io.railyard.core.trace.Outcome;
import io.railyard.core.trace.TaskRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class SubmitToStartTest {

    @Test
    void severalPercentilesAtOnceAreEachTheNearestRankOfTheTasksThatStarted() {
        Random random = new Random(42);
        for (int round = 0; round < 200; round++) {
            int n = random.nextInt(60);
            long base = random.nextLong(1L << 40);
            List<TaskRecord> records = new ArrayList<>();
            List<Long> waits = new ArrayList<>();
            long first = Long.MAX_VALUE;
            for (int i = 0; i < n; i++) {
                long submit = base + random.nextLong(5_000_000);
                first = Math.min(first, submit);
                boolean started = random.nextInt(5) > 0;
                long start = started ? submit + random.nextLong(3_000_000) : -1;
                records.add(new TaskRecord(i, submit, start, Math.max(submit, start) + 1, 0, started ? Outcome.OK : Outcome.CANCELLED, -1, false));
            }
            for (TaskRecord r : records)
                if (r.startNanos() >= 0) waits.add(Math.floorDiv(r.startNanos() - first, 1000) - Math.floorDiv(r.submitNanos() - first, 1000));
            waits.sort(null);

            double[] ps = {50, 99, 100, 0.1};
            double[] got = SubmitToStart.percentilesUs(records, ps);
            for (int i = 0; i < ps.length; i++) {
                if (waits.isEmpty()) {
                    assertTrue(Double.isNaN(got[i]), "no task started: no figure");
                } else {
                    int rank = (int) Math.ceil(ps[i] / 100 * waits.size());
                    assertEquals(waits.get(Math.max(0, rank - 1)), (long) got[i], "p" + ps[i] + " of " + waits);
                }
            }
        }
    }
}
