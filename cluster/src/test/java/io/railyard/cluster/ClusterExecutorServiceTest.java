package io.railyard.cluster;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.core.contract.ExecutorServiceContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;
import java.util.UUID;

/**
 * The {@code cluster} model as an {@link java.util.concurrent.ExecutorService}, on one member in
 * this JVM for the whole class (as {@link ClusterContractTest}): every task is encoded, sent to the
 * member and decoded there; a stopped task is interrupted on its member.
 */
class ClusterExecutorServiceTest extends ExecutorServiceContract {
    static final String CONTRACT_JOBS = "io.railyard.core.contract.*";
    private static ClusterMember member;

    @BeforeAll
    static void startMember() {
        member = ClusterMember.start(MemberOptions.standalone().withPort(0).withThreads(8)
                .withClusterName("railyard-test-" + UUID.randomUUID()).withAllow(List.of(CONTRACT_JOBS)));
    }

    @AfterAll
    static void stopMember() {
        if (member != null) member.close();
    }

    @Override
    protected TaskPool open(PoolSpec spec) {
        return ClusterPool.on(member.instance(), spec, ClusterPoolOptions.fromOptions(spec.options()).withAllow(List.of(CONTRACT_JOBS)));
    }
}
