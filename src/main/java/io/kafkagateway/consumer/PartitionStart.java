package io.kafkagateway.consumer;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where the acknowledgements of a newly assigned partition start: what the group committed, with its ranges. */
final class PartitionStart {

    private static final Logger LOG = LoggerFactory.getLogger(PartitionStart.class);

    private PartitionStart() {
    }

    static OffsetTracker tracker(String group, GroupDriver.Assigned assigned) {
        OffsetAndMetadata committed = assigned.committed();
        if (committed == null) {
            return new OffsetTracker(assigned.position());
        }
        OffsetTracker tracker;
        try {
            tracker = OffsetTracker.restore(committed.offset(), committed.metadata());
        } catch (IllegalArgumentException e) {
            LOG.atWarn().addKeyValue("group", group).addKeyValue("partition", assigned.partition().toString())
                    .addKeyValue("error", e.getMessage())
                    .log("commit metadata is not sparse acknowledgements; resuming from the committed offset");
            tracker = new OffsetTracker(committed.offset());
        }
        if (assigned.position() > committed.offset()) {
            // The committed offset is gone (retention); Kafka starts at the earliest offset still there.
            tracker.ack(committed.offset(), assigned.position());
        }
        return tracker;
    }
}
