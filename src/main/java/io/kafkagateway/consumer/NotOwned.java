package io.kafkagateway.consumer;

import io.kafkagateway.core.ErrorCode;
import io.kafkagateway.core.GatewayException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * What is asked of a partition another member of the group owns (an acknowledgement, an offer again): never dropped
 * silently, but counted ({@code kgw_consumer_acks_not_owned_total}) and logged, at most every ten seconds per group
 * with the count since. Confined to the consumer engine's event loop.
 */
final class NotOwned {

    private static final Logger LOG = LoggerFactory.getLogger(NotOwned.class);
    private static final long LOG_EVERY_NANOS = Duration.ofSeconds(10).toNanos();

    private final String cluster;
    private final String group;
    private final ConsumerStats stats;
    private long loggedNanos;
    private long sinceLog;

    NotOwned(String cluster, String group, ConsumerStats stats) {
        this.cluster = cluster;
        this.group = group;
        this.stats = stats;
    }

    /** The answer to a client whose acknowledgement names a partition not owned here. */
    static GatewayException error(String topic, int partition) {
        return new GatewayException(ErrorCode.PARTITION_NOT_OWNED, "partition " + partition + " of " + topic
                + " is not consumed by this gateway for the group (it moved, or was never here); the message will be"
                + " offered again by the partition's owner");
    }

    void record(String topic, int partition, String request) {
        stats.acksNotOwned.incrementAndGet();
        sinceLog++;
        long now = System.nanoTime();
        if (loggedNanos == 0 || now - loggedNanos >= LOG_EVERY_NANOS) {
            LOG.atWarn().addKeyValue("cluster", cluster).addKeyValue("group", group).addKeyValue("topic", topic)
                    .addKeyValue("partition", partition).addKeyValue("request", request).addKeyValue("count", sinceLog)
                    .log("request for a partition this gateway does not own for the group; its owner offers the"
                            + " message again (kgw_consumer_acks_not_owned_total)");
            loggedNanos = now;
            sinceLog = 0;
        }
    }
}
