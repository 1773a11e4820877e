package io.railyard.cluster;

import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.internal.util.ConcurrencyUtil;

import java.util.concurrent.ForkJoinPool;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hazelcast settings for railyard's use of it, chosen for start-up time and a small footprint on a
 * machine shared with the work: the thread counts, partition count, heartbeats and logging that
 * {@link ClusterMember} and {@link ClusterPool}'s client use. Stateless, except that it holds the
 * JUL logger it quietens (JUL keeps loggers only weakly).
 */
final class Tuning {
    private Tuning() {}

    /** Partitions of a railyard cluster: it keeps no data, so few (every member must agree). */
    static final int PARTITIONS = 31;

    /**
     * Hazelcast's own log is off: on a command line its banner, joins and warnings (and a stack
     * trace for a taken port) are noise, and railyard reports what matters in one line. System
     * property {@code railyard.cluster.log} (a JUL level: INFO, WARNING...) turns it back on.
     */
    private static final Logger HAZELCAST_LOG = Logger.getLogger("com.hazelcast");

    static {
        HAZELCAST_LOG.setLevel(logLevel(System.getProperty("railyard.cluster.log")));
        // Hazelcast runs future callbacks on ForkJoinPool.commonPool(), or, when that has one thread
        // (a 2-core machine), on a new platform thread per callback: ~200 us each, twice per task.
        // A virtual thread per callback keeps the same semantics at a small fraction of the cost.
        // (ConcurrencyUtil is Hazelcast's internal API: check it when upgrading Hazelcast.)
        if (ForkJoinPool.getCommonPoolParallelism() <= 1)
            ConcurrencyUtil.setDefaultAsyncExecutor(command -> Thread.ofVirtual().name("railyard-cluster-callback").start(command));
    }

    /**
     * The level {@code railyard.cluster.log} asks for: OFF when unset; a value that is not a JUL level
     * leaves the log off and says so in one line on stderr (this runs in a class initializer, where an
     * exception would end the command with a stack trace).
     */
    static Level logLevel(String value) {
        if (value == null) return Level.OFF;
        try {
            return Level.parse(value.strip());
        } catch (IllegalArgumentException e) {
            System.err.println("railyard: -Drailyard.cluster.log=" + value + " is not a log level (OFF, SEVERE, WARNING, INFO, FINE,"
                    + " FINER, FINEST, ALL): Hazelcast's log stays off");
            return Level.OFF;
        }
    }

    static void member(Config c) {
        c.setProperty("hazelcast.logging.type", "jdk");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.health.monitoring.level", "OFF");
        c.setProperty("hazelcast.partition.count", Integer.toString(PARTITIONS));
        c.setProperty("hazelcast.socket.bind.any", "false");
        // joining: members are found by address only, so no need to wait for more to show up
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        // a killed member is noticed by its closed connection at once; a hung one by heartbeats
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        c.setProperty("hazelcast.client.max.no.heartbeat.seconds", "10");
        c.setProperty("hazelcast.connection.monitor.interval", "100");
        c.setProperty("hazelcast.connection.monitor.max.faults", "2");
        // threads: railyard's work runs on the executor's threads, not on these
        c.setProperty("hazelcast.io.thread.count", "1");
        c.setProperty("hazelcast.operation.thread.count", "1");
        c.setProperty("hazelcast.operation.generic.thread.count", "1");
        c.setProperty("hazelcast.operation.priority.generic.thread.count", "1");
        c.setProperty("hazelcast.operation.response.thread.count", "1");
        c.setProperty("hazelcast.event.thread.count", "1");
        c.setProperty("hazelcast.clientengine.thread.count", "2");
        c.setProperty("hazelcast.clientengine.query.thread.count", "1");
        c.setProperty("hazelcast.clientengine.blocking.thread.count", "1");
        c.setProperty("hazelcast.mc.executor.thread.count", "1");
        c.setProperty("hazelcast.metrics.enabled", "false");
        c.setProperty("hazelcast.metrics.jmx.enabled", "false");
        c.getJetConfig().setEnabled(false);
        c.getMetricsConfig().setEnabled(false);
        c.getSqlConfig().setStatementTimeoutMillis(0);
    }

    static void client(ClientConfig c) {
        c.setProperty("hazelcast.logging.type", "jdk");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.client.statistics.enabled", "false");
        c.setProperty("hazelcast.client.metrics.enabled", "false");
        c.setProperty("hazelcast.client.event.thread.count", "1");
        c.setProperty("hazelcast.client.io.input.thread.count", "1");
        c.setProperty("hazelcast.client.io.output.thread.count", "1");
        c.setProperty("hazelcast.client.response.thread.count", "1");
        c.setProperty("hazelcast.client.heartbeat.interval", "1000");
        c.setProperty("hazelcast.client.heartbeat.timeout", "10000");
        c.getMetricsConfig().setEnabled(false);
    }
}
