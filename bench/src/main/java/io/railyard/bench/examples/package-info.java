/**
 * One small job written under each model's API, for the compare report's "Code Complexity" row:
 * N GETs of one URL, at most C at once, every body's length added into one total. Each class
 * is what a user of that model writes, and nothing more; the report shows them side by side with
 * their CPython counterparts (resources {@code io/railyard/bench/examples/*.py}), and
 * {@link io.railyard.bench.examples.ExampleSources} counts their lines and the concepts they need.
 * A test compiles and runs every one against the latency server, so they cannot rot.
 */
package io.railyard.bench.examples;
