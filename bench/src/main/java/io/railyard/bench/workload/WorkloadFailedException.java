package io.railyard.bench.workload;

/**
 * The model could not do this work at all (e.g. it cannot hold C connections at once). Not a bug:
 * the message says what happened and the CLI prints it as one line, exit code 1.
 */
public class WorkloadFailedException extends RuntimeException {
    public WorkloadFailedException(String message) {
        super(message);
    }
}
