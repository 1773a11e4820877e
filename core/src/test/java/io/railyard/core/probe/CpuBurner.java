package io.railyard.core.probe;

import java.lang.management.ManagementFactory;

/**
 * A child process for the CPU accounting tests: burns CPU on one thread until this whole process
 * (its JVM's start-up included) has used the given seconds of CPU, then exits. A JVM's start-up
 * keeps several threads busy at once, as a worker process's does.
 */
public final class CpuBurner {
    private CpuBurner() {}

    public static void main(String[] args) {
        long target = (long) (Double.parseDouble(args[0]) * 1e9);
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long x = 0;
        while (os.getProcessCpuTime() < target) {
            for (int i = 0; i < 100_000; i++) x += i ^ (x >>> 3);
        }
        if (x == 42) System.out.println(); // keeps the loop from being optimised away
    }
}
