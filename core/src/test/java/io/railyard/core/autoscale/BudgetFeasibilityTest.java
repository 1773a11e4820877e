package io.railyard.core.autoscale;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskFuture;
import io.railyard.core.probe.ProcessTreeProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A budget in which not even one task fits: the autoscaled pool gives the run up, with the reason,
 * instead of crawling along one task at a time, each stopped for memory. Real tasks allocating real
 * memory on the real clock; bounded by outcome (every task ends, none of them ran to the end).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BudgetFeasibilityTest {

    static final long MIB = 1L << 20;

    @Test
    void aRunInWhichNotEvenOneTaskFitsIsGivenUpNotCrawled() throws Exception {
        long budgetBytes = ProcessTreeProbe.rssBytes() + 48 * MIB;
        Budget budget = new Budget(budgetBytes, Runtime.getRuntime().availableProcessors(), 4, 0);
        List<TaskFuture<Integer>> all = new ArrayList<>();
        AutoscaledPool pool = AutoscaledPool.open("threads", PoolSpec.of(4), budget, AutoscaleOptions.DEFAULT);
        try {
            // each task wants 160 MiB (2 MiB every 10 ms, touched), three times the room there is
            for (int i = 0; i < 200; i++) {
                all.add(pool.submit(() -> {
                    List<byte[]> mine = new ArrayList<>();
                    for (int k = 0; k < 80; k++) {
                        byte[] b = new byte[2 << 20];
                        for (int j = 0; j < b.length; j += 4096) b[j] = 1;
                        mine.add(b);
                        Thread.sleep(10);
                    }
                    return mine.size();
                }));
            }
            int ok = 0;
            OverBudgetException given = null;
            for (TaskFuture<Integer> f : all) {
                try {
                    f.get(90, TimeUnit.SECONDS);
                    ok++;
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof OverBudgetException o && o.getMessage().contains("budget")) given = o;
                }
            }
            assertNotNull(pool.impossible(), "the pool did not give the run up; decisions " + pool.decisions());
            assertTrue(pool.impossible().contains("give a larger budget"), pool.impossible());
            assertNotNull(given);
            assertTrue(ok < 10, ok + " tasks ran to the end in a budget that holds none");
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(Duration.ofSeconds(30)));
        }
    }
}
