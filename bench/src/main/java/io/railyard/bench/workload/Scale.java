package io.railyard.bench.workload;

/**
 * How much work {@code railyard compare} does: each workload picks its sizes and concurrency levels
 * per scale. {@code TINY} exists for tests (a few hundred milliseconds per cell).
 */
public enum Scale {
    TINY, QUICK, DEFAULT, FULL
}
