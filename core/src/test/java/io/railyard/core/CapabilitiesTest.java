package io.railyard.core;

import io.railyard.core.autoscale.AutoscaleOptions;
import io.railyard.core.autoscale.AutoscaledPool;
import io.railyard.core.autoscale.Budget;
import io.railyard.core.autoscale.LoadReading;
import io.railyard.core.processes.ProcessPool;
import io.railyard.core.threads.ThreadsPool;
import io.railyard.core.virtual.VirtualPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Model capabilities as types: what each core model's pools can do, known from its provider
 * before a pool opens and asked of the pool itself, and what an autoscaled pool answers for the
 * model it drives.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CapabilitiesTest {

    static final Budget BUDGET = new Budget(1L << 40, 2, 4, 0);

    @Test
    void providersKnowTheirPoolsCapabilitiesBeforeOpeningOne() {
        assertEquals(ProcessPool.class, Models.get("processes").poolType());
        assertTrue(Models.get("processes").has(Resizable.class));
        assertFalse(Models.get("processes").has(SingleEventLoop.class));
        assertEquals(ThreadsPool.class, Models.get("threads").poolType());
        assertFalse(Models.get("threads").has(Resizable.class));
        assertEquals(VirtualPool.class, Models.get("virtual").poolType());
        assertFalse(Models.get("virtual").has(SingleEventLoop.class));
        assertTrue(Models.get("threads").has(TaskPool.class));
    }

    @Test
    void aPoolIsAskedForACapabilityAndAnswersWithItselfOrNothing() {
        try (ThreadsPool pool = new ThreadsPool(PoolSpec.of(2))) {
            assertSame(pool, pool.capability(ThreadsPool.class).orElseThrow());
            assertTrue(pool.capability(Resizable.class).isEmpty());
            assertFalse(pool.has(SingleEventLoop.class));
            assertFalse(pool.has(OverloadFeedback.class));
        }
    }

    @Test
    void processesSizeTheirWorkersToAMemoryBudgetAndTheCallersFlagsWin() {
        ModelProvider processes = Models.get("processes");
        Map<String, String> none = processes.optionsWithinMemory(512L << 20, Map.of());
        assertEquals("-XX:MaxRAM=" + (512L << 20), none.get("jvmArgs"));
        Map<String, String> mine = processes.optionsWithinMemory(512L << 20, Map.of("jvmArgs", "-Xmx64m", "allow", "com.acme.*"));
        assertEquals("-XX:MaxRAM=" + (512L << 20) + " -Xmx64m", mine.get("jvmArgs"), "the caller's flags come last and win");
        assertEquals("com.acme.*", mine.get("allow"));
        assertEquals("existing", none.get("aotCache"), "workers under a budget train no AOT cache");
        assertEquals("existing", processes.optionsWithinMemory(512L << 20, Map.of("aotCache", "auto")).get("aotCache"));
        assertEquals("off", processes.optionsWithinMemory(512L << 20, Map.of("aotCache", "off")).get("aotCache"));
        assertEquals("/d", processes.optionsWithinMemory(512L << 20, Map.of("aotCache", "/d")).get("aotCache"), "a directory the user chose");
        Map<String, String> options = Map.of("x", "y");
        assertSame(options, Models.get("threads").optionsWithinMemory(1L << 30, options), "threads have no worker JVMs to size");
    }

    @Test
    void anAutoscaledPoolTakesFeedbackAndNeverHandsOutItsModelsResizing() throws Exception {
        AutoscaleOptions options = AutoscaleOptions.DEFAULT.withLoad(() -> LoadReading.of(100L << 20, 0));
        AutoscaledPool threads = AutoscaledPool.open("threads", PoolSpec.of(4), BUDGET, options);
        try {
            assertSame(threads, threads.capability(OverloadFeedback.class).orElseThrow());
            assertSame(threads, threads.capability(AutoscaledPool.class).orElseThrow());
            assertFalse(threads.has(SingleEventLoop.class));
            assertFalse(threads.has(ThreadsPool.class), "a model's class is not a capability: it is not handed out");
        } finally {
            threads.shutdownNow();
            assertTrue(threads.awaitTermination(Duration.ofSeconds(30)));
        }
        AutoscaledPool processes = AutoscaledPool.open("processes", PoolSpec.of(2), BUDGET.withMaxConcurrency(2), options);
        try {
            assertTrue(processes.has(OverloadFeedback.class));
            assertFalse(processes.has(Resizable.class), "the autoscaler alone resizes its workers");
        } finally {
            processes.shutdownNow();
            assertTrue(processes.awaitTermination(Duration.ofSeconds(30)));
        }
    }
}
