package io.railyard.bench.workload;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A work that queues every task at once is refused when the queue cannot fit in the heap. */
class QueuedTasksTest {

    @Test
    void aCountWhoseQueueCannotFitTheHeapIsRefusedWithWhatToGive() {
        long heap = 64L << 20; // 64 MiB: 262,144 tasks of 256 bytes
        assertDoesNotThrow(() -> QueuedTasks.check("-n", 262_144, heap));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> QueuedTasks.check("-n", 262_145, heap));
        assertTrue(e.getMessage().startsWith("-n 262145 queues every task at once"), e.getMessage());
        assertTrue(e.getMessage().contains("heap of 64 MiB") && e.getMessage().contains("give -n 262144 or less"), e.getMessage());
        assertDoesNotThrow(() -> QueuedTasks.check("-m", Long.MAX_VALUE / 2, Long.MAX_VALUE), "no heap limit: nothing to check against");
    }
}
