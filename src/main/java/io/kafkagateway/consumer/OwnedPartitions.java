package io.kafkagateway.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The partitions one group member owns, as Kafka assigned them: created on assignment whether or not their topic is
 * still subscribed (so a topic asked for again finds its partitions), attached to their topic's subscription when
 * there is one, given the records fetched for them, and released on revocation with their commit points. Confined
 * to the consumer engine's event loop.
 */
final class OwnedPartitions {

    private static final Logger LOG = LoggerFactory.getLogger(OwnedPartitions.class);

    private final String cluster;
    private final String group;
    private final ConsumerStats stats;
    private final FlowControl flow;
    private final GroupTopics topics;
    private final java.util.function.Consumer<TopicPartition> restarted;
    private final Map<TopicPartition, PartitionState> owned = new HashMap<>();

    /** {@code restarted}: told of a partition whose log moved back, so it starts again from a lower offset. */
    OwnedPartitions(String cluster, String group, ConsumerStats stats, FlowControl flow, GroupTopics topics,
                    java.util.function.Consumer<TopicPartition> restarted) {
        this.restarted = restarted;
        this.cluster = cluster;
        this.group = group;
        this.stats = stats;
        this.flow = flow;
        this.topics = topics;
    }

    PartitionState get(TopicPartition partition) {
        return owned.get(partition);
    }

    void forEach(BiConsumer<TopicPartition, PartitionState> action) {
        owned.forEach(action);
    }

    /** Attaches the partitions of {@code subscription}'s topic owned already (a topic subscribed again). */
    void attach(TopicSubscription subscription) {
        for (PartitionState partition : owned.values()) {
            if (partition.partition().topic().equals(subscription.topic)) {
                subscription.partitions.add(partition);
            }
        }
    }

    /** Owns a newly assigned partition; returns its topic's subscription, or null when the topic is not subscribed. */
    TopicSubscription own(GroupDriver.Assigned assigned) {
        TopicPartition partition = assigned.partition();
        OffsetTracker tracker = PartitionStart.tracker(group, assigned);
        PartitionState state = new PartitionState(group, stats, partition, tracker, assigned.position(), assigned.epoch(),
                assigned.committedInKafka() ? assigned.committed() : null);
        owned.put(partition, state);
        LOG.atInfo().addKeyValue("cluster", cluster).addKeyValue("group", group).addKeyValue("topic", partition.topic())
                .addKeyValue("partition", partition.partition()).addKeyValue("offset", tracker.committed())
                .log("partition assigned");
        TopicSubscription subscription = topics.get(partition.topic());
        if (subscription != null) {
            subscription.partitions.add(state);
        }
        return subscription;
    }

    /** Lets go of {@code partitions} (revoked or lost); returns their commit points. */
    Map<TopicPartition, OffsetAndMetadata> release(Collection<TopicPartition> partitions) {
        Map<TopicPartition, OffsetAndMetadata> commitPoints = new HashMap<>();
        for (TopicPartition partition : partitions) {
            PartitionState state = owned.remove(partition);
            if (state == null) {
                continue;
            }
            commitPoints.put(partition, state.commitPoint());
            state.release();
            flow.forget(partition);
            TopicSubscription subscription = topics.get(partition.topic());
            if (subscription != null) {
                subscription.partitions.remove(state);
            }
            LOG.atInfo().addKeyValue("cluster", cluster).addKeyValue("group", group).addKeyValue("topic", partition.topic())
                    .addKeyValue("partition", partition.partition()).log("partition released");
        }
        return commitPoints;
    }

    /** Lets go of every partition (the member closes); returns their commit points. */
    Map<TopicPartition, OffsetAndMetadata> releaseAll() {
        return release(List.copyOf(owned.keySet()));
    }

    /** Takes the records of one poll; returns the subscriptions that may now serve waiting requests. */
    Set<TopicSubscription> take(GroupDriver.Fetched fetched) {
        Set<TopicSubscription> touched = new HashSet<>();
        for (TopicPartition partition : fetched.records().partitions()) {
            List<ConsumerRecord<byte[], byte[]>> records = fetched.records().records(partition);
            long bytes = FlowControl.size(records);
            PartitionState state = owned.get(partition);
            if (state == null) {
                flow.takenIn(partition, bytes, 0);
                continue;
            }
            if (state.append(records, fetched.epochs().getOrDefault(partition, -1L))) {
                restarted.accept(partition);
            }
            flow.takenIn(partition, bytes, state.bufferedBytes());
            TopicSubscription subscription = topics.get(partition.topic());
            if (subscription != null) {
                touched.add(subscription);
            }
        }
        return touched;
    }
}
