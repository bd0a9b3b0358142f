package io.kafkagateway.consumer;

import io.kafkagateway.config.ConsumerSettings;
import io.kafkagateway.config.InitialOffset;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * A topic a group member consumes: the consume requests waiting for it and the partitions of it this member owns,
 * served round-robin. Confined to the consumer engine's event loop.
 */
final class TopicSubscription {

    /** What to hand out next: a message from {@code partition}; {@code retry} when it was handed out before. */
    record Delivery(PartitionState partition, ConsumerRecord<byte[], byte[]> record, PendingAcks.Offer retry) {
    }

    final String topic;
    final InitialOffset initialOffset;
    final WaitQueue waiters;
    final List<PartitionState> partitions = new ArrayList<>();
    long lastRequestNanos;
    /** When the member subscribed to the topic. */
    final long addedNanos;
    private int cursor;

    TopicSubscription(String topic, InitialOffset initialOffset, WaitQueue waiters, long nowNanos) {
        this.topic = topic;
        this.initialOffset = initialOffset;
        this.waiters = waiters;
        this.lastRequestNanos = nowNanos;
        this.addedNanos = nowNanos;
    }

    /**
     * The next message to hand out: a message whose ack timeout passed comes before any new message; within each
     * kind, partitions take turns.
     */
    Delivery next(long nowNanos, ConsumerSettings settings) {
        int count = partitions.size();
        long ackTimeout = settings.ackTimeout().toNanos();
        for (int i = 0; i < count; i++) {
            PartitionState partition = partitions.get((cursor + i) % count);
            if (partition.hasDueRetry(nowNanos)) {
                PendingAcks.Offer retry = partition.takeDueRetry(nowNanos, settings.maxRetries(), ackTimeout);
                if (retry != null) {
                    cursor = (cursor + i + 1) % count;
                    return new Delivery(partition, retry.record, retry);
                }
            }
        }
        for (int i = 0; i < count; i++) {
            PartitionState partition = partitions.get((cursor + i) % count);
            ConsumerRecord<byte[], byte[]> record = partition.takeNew(settings.maxPendingMessages());
            if (record != null) {
                cursor = (cursor + i + 1) % count;
                return new Delivery(partition, record, null);
            }
        }
        return null;
    }

    boolean hasUnacked() {
        for (PartitionState partition : partitions) {
            if (partition.hasUnacked()) {
                return true;
            }
        }
        return false;
    }
}
