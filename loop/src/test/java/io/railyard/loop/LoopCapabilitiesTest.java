package io.railyard.loop;

import io.railyard.core.LagReporting;
import io.railyard.core.Models;
import io.railyard.core.PoolSpec;
import io.railyard.core.Resizable;
import io.railyard.core.SingleEventLoop;
import io.railyard.core.autoscale.AutoscaleOptions;
import io.railyard.core.autoscale.AutoscaledPool;
import io.railyard.core.autoscale.Budget;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The loop's capabilities, on the model, on the pool, and through an autoscaled pool driving it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LoopCapabilitiesTest {

    @Test
    void theLoopModelRunsItsTasksOnOneEventLoopAndReportsItsLag() {
        assertEquals(LoopPool.class, Models.get("loop").poolType());
        assertTrue(Models.get("loop").has(SingleEventLoop.class));
        assertFalse(Models.get("loop").has(Resizable.class));
        try (LoopPool pool = new LoopPool(PoolSpec.of(2))) {
            assertTrue(pool.has(SingleEventLoop.class));
            assertSame(pool, pool.capability(LagReporting.class).orElseThrow());
        }
    }

    @Test
    void anAutoscaledLoopIsStillOneEventLoopWhoseLagItReads() throws Exception {
        AutoscaledPool pool = AutoscaledPool.open("loop", PoolSpec.of(8), new Budget(1L << 40, 2, 8, 0), AutoscaleOptions.DEFAULT);
        try {
            assertTrue(pool.has(SingleEventLoop.class), "its tasks run on the loop it drives");
            long lag = pool.capability(LagReporting.class).orElseThrow().lagNanos();
            assertTrue(lag >= 0, "the loop it drives measures its lag: " + lag);
            assertTrue(pool.capability(LoopPool.class).isEmpty(), "the pool it drives is not handed out");
            assertEquals(3, pool.submitAsync(ctx -> ctx.facility(LoopTimers.class).sleep(Duration.ofMillis(1)).thenApply(x -> 3)).get());
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(Duration.ofSeconds(30)));
        }
    }
}
