/** Workloads, the latency server, the measuring harness and reports. */
package io.railyard.bench;
