package io.kafkagateway.consumer;

import io.vertx.core.Context;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The periodic commit of one group member: every owned partition whose commit point Kafka does not hold yet (changed,
 * never confirmed, or last refused) is sent, and Kafka's answer is recorded per partition ({@link CommitProgress}).
 * The points last sent are also kept where the poll thread can read them, for a revocation the event loop cannot
 * answer in time. Confined to the consumer engine's event loop, except {@link #lastSent}.
 */
final class Commits {

    private final Context context;
    private final OwnedPartitions owned;
    private final Map<TopicPartition, OffsetAndMetadata> lastSent = new ConcurrentHashMap<>();

    Commits(Context context, OwnedPartitions owned) {
        this.context = context;
        this.owned = owned;
    }

    /** Sends what is due through {@code driver}. */
    void commit(GroupDriver driver) {
        Map<TopicPartition, OffsetAndMetadata> due = new HashMap<>();
        owned.forEach((partition, state) -> {
            OffsetAndMetadata point = state.commitDue();
            if (point != null) {
                due.put(partition, point);
            }
        });
        if (due.isEmpty()) {
            return;
        }
        lastSent.putAll(due);
        driver.commit(due).whenComplete((committed, failure) -> context.runOnContext(v -> due.forEach((partition, point) -> {
            PartitionState state = owned.get(partition);
            if (state != null) {
                state.commitAnswered(point, committed != null && committed.contains(partition));
            }
        })));
    }

    /** The points last sent for {@code partitions}; called on the poll thread. */
    Map<TopicPartition, OffsetAndMetadata> lastSent(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> points = new HashMap<>();
        partitions.forEach(partition -> {
            OffsetAndMetadata point = lastSent.get(partition);
            if (point != null) {
                points.put(partition, point);
            }
        });
        return points;
    }

    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(lastSent::remove);
    }
}
