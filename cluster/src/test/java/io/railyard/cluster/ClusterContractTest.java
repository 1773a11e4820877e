package io.railyard.cluster;

import io.railyard.core.PoolSpec;
import io.railyard.core.TaskPool;
import io.railyard.core.contract.TaskPoolContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.List;
import java.util.UUID;

/**
 * The contract suite for {@code cluster} on a member inside this JVM: every job is encoded, sent
 * through Hazelcast's executor and decoded by the member's runtime, as with the embedded member a
 * pool starts by default. One member serves the whole class (starting one per test would cost
 * seconds each); every pool is closed between tests, and the member has more threads than any test
 * uses, so tests cannot see each other's tasks. The contract's job classes are admitted by package.
 */
class ClusterContractTest extends TaskPoolContract {
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
