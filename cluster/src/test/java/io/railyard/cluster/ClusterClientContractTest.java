package io.railyard.cluster;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.core.contract.TaskPoolContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;
import java.util.UUID;

/**
 * The contract suite for {@code cluster} as a client ({@code cluster=host:port}): each pool connects
 * over loopback to a member, so tasks, answers and cancellations cross a real socket, as with
 * {@code --cluster}. One member serves the class; each test's pool is its own client.
 */
class ClusterClientContractTest extends TaskPoolContract {
    private static ClusterMember member;

    @BeforeAll
    static void startMember() {
        member = ClusterMember.start(MemberOptions.standalone().withPort(0).withThreads(8)
                .withClusterName("railyard-test-" + UUID.randomUUID()).withAllow(List.of(ClusterContractTest.CONTRACT_JOBS)));
    }

    @AfterAll
    static void stopMember() {
        if (member != null) member.close();
    }

    @Override
    protected TaskPool open(PoolSpec spec) {
        return new ClusterPool(spec, ClusterPoolOptions.fromOptions(spec.options())
                .withCluster(List.of(member.address())).withClusterName(member.options().clusterName())
                .withAllow(List.of(ClusterContractTest.CONTRACT_JOBS)));
    }
}
