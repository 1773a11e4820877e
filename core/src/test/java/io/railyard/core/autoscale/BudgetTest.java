package io.railyard.core.autoscale;

import io.railyard.core.probe.ContainerLimits;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.*;

class BudgetTest {

    static final long MIB = 1L << 20, GIB = 1L << 30;
    /** A container with 2 GiB and 1.5 cores on a 16 GiB, 4-core machine. */
    static final ContainerLimits CONTAINER = new ContainerLimits(OptionalLong.of(2 * GIB), OptionalDouble.of(1.5), 4, 16 * GIB, "cgroup v2");
    /** No container limits: the machine's 8 GiB and 2 cores. */
    static final ContainerLimits MACHINE = new ContainerLimits(OptionalLong.empty(), OptionalDouble.empty(), 2, 8 * GIB, "none");

    static Budget resolve(String memory, String cpu, ContainerLimits limits, Map<String, String> env) {
        return Budget.resolve(new Budget.Request(memory, cpu, null, null), limits, env);
    }

    @ParameterizedTest
    @CsvSource({
            "512m, 536870912", "512M, 536870912", "512MB, 536870912", "512MiB, 536870912", "1g, 1073741824",
            "1.5g, 1610612736", "64k, -1", "2147483648, 2147483648", "0.5, 1073741824", "50%, 1073741824",
            "1, 2147483648", "100%, 2147483648", "' 256m ', 268435456"})
    void sizesUnitsAndSharesOfTheContainer(String typed, long bytes) {
        if (bytes < 0) {
            BudgetException e = assertThrows(BudgetException.class, () -> resolve(typed, null, CONTAINER, Map.of()));
            assertTrue(e.getMessage().contains("below the 32 MiB a JVM needs"), e.getMessage());
        } else {
            assertEquals(bytes, resolve(typed, null, CONTAINER, Map.of()).maxMemoryBytes());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "12q|--budget-memory '12q' is not a size: give a size like --budget-memory 512m",
            "-512m|--budget-memory must not be negative",
            "3g|--budget-memory 3g is more than the container's 2.0 GiB memory limit: give at most 2.0 GiB",
            "150%|must be a percentage above 0 and at most 100",
            "0|--budget-memory must be above 0",
            "abc|is not a size",
            "10.5|has a fraction of a byte",
            "1e9|is not a size",
            "12mb x|is not a size"})
    void badMemoryBudgetsAreOneLineNamingTheFix(String typed, String message) {
        BudgetException e = assertThrows(BudgetException.class, () -> resolve(typed, null, CONTAINER, Map.of()));
        assertTrue(e.getMessage().contains(message), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "2|--budget-cpu 2 is more than the container's CPU quota of 1.50 cores: give at most 1.50",
            "-1|--budget-cpu must be a positive number of cores",
            "0|--budget-cpu must be a positive number of cores",
            "lots|--budget-cpu 'lots' is not a number of cores",
            "NaN|--budget-cpu must be a positive number of cores"})
    void badCpuBudgets(String typed, String message) {
        BudgetException e = assertThrows(BudgetException.class, () -> resolve(null, typed, CONTAINER, Map.of()));
        assertTrue(e.getMessage().contains(message), e.getMessage());
    }

    @Test
    void defaultsComeFromTheContainerThenTheMachine() {
        Budget c = resolve(null, null, CONTAINER, Map.of());
        assertEquals(2 * GIB, c.maxMemoryBytes());
        assertEquals(1.5, c.maxCpuCores());
        assertEquals(Budget.DEFAULT_MAX_CONCURRENCY, c.maxConcurrency());
        assertEquals(0, c.maxTasksPerMinute());
        Budget m = resolve(null, null, MACHINE, Map.of());
        assertEquals(2 * GIB, m.maxMemoryBytes(), "a quarter of the machine, as Crawlee does locally");
        assertEquals(2.0, m.maxCpuCores());
    }

    @Test
    void theEnvironmentSetsMemoryInMegabytesAndRailyardsVariableWins() {
        assertEquals(512 * MIB, resolve(null, null, CONTAINER, Map.of("APIFY_MEMORY_MBYTES", "512")).maxMemoryBytes());
        assertEquals(256 * MIB, resolve(null, null, CONTAINER,
                Map.of("APIFY_MEMORY_MBYTES", "512", "RAILYARD_MEMORY_MBYTES", "256")).maxMemoryBytes());
        // a flag beats the environment
        assertEquals(128 * MIB, resolve("128m", null, CONTAINER, Map.of("RAILYARD_MEMORY_MBYTES", "256")).maxMemoryBytes());
        BudgetException e = assertThrows(BudgetException.class,
                () -> resolve(null, null, CONTAINER, Map.of("RAILYARD_MEMORY_MBYTES", "lots")));
        assertEquals("RAILYARD_MEMORY_MBYTES='lots' is not a number of megabytes: set e.g. RAILYARD_MEMORY_MBYTES=512", e.getMessage());
        e = assertThrows(BudgetException.class, () -> resolve(null, null, CONTAINER, Map.of("APIFY_MEMORY_MBYTES", "4096")));
        assertTrue(e.getMessage().startsWith("APIFY_MEMORY_MBYTES=4096 is more than the container's 2.0 GiB memory limit"), e.getMessage());
    }

    @Test
    void concurrencyAndRateMustBePositive() {
        assertEquals(8, Budget.resolve(new Budget.Request(null, null, 8, 600), CONTAINER, Map.of()).maxConcurrency());
        assertEquals(600, Budget.resolve(new Budget.Request(null, null, 8, 600), CONTAINER, Map.of()).maxTasksPerMinute());
        assertThrows(BudgetException.class, () -> Budget.resolve(new Budget.Request(null, null, 0, null), CONTAINER, Map.of()));
        assertThrows(BudgetException.class, () -> Budget.resolve(new Budget.Request(null, null, null, -3), CONTAINER, Map.of()));
        assertThrows(BudgetException.class, () -> new Budget(GIB, 1, 0, 0));
        assertThrows(BudgetException.class, () -> new Budget(GIB, Double.POSITIVE_INFINITY, 4, 0));
    }

    @Test
    void theRealContainerIsRead() {
        Budget b = Budget.resolve(Budget.Request.NONE, ContainerLimits.read(), Map.of());
        assertTrue(b.maxMemoryBytes() >= Budget.MIN_MEMORY_BYTES);
        assertTrue(b.maxCpuCores() > 0 && b.maxCpuCores() <= Runtime.getRuntime().availableProcessors());
    }
}
