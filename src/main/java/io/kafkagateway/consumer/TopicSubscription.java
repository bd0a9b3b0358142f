package io.kafkagateway.consumer;

import io.kafkagateway.config.ConsumerSettings;
import io.kafkagateway.config.InitialOffset;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A topic a group member consumes: the consume requests waiting for it (FIFO) and the partitions of it this member
 * owns, served round-robin. Confined to the consumer engine's event loop.
 */
final class TopicSubscription {

    /** What to hand out next: a message from {@code partition}, a redelivery when {@code retry}. */
    record Delivery(PartitionState partition, ConsumerRecord<byte[], byte[]> record, boolean retry) {
    }

    final String topic;
    final InitialOffset initialOffset;
    /** Parked consume requests, oldest (soonest deadline) first. */
    final ArrayDeque<Waiter> waiters = new ArrayDeque<>();
    /** The timer that expires the oldest waiter, -1 when none is set. */
    long expiryTimer = -1;
    final List<PartitionState> partitions = new ArrayList<>();
    long lastRequestNanos;
    private int cursor;

    TopicSubscription(String topic, InitialOffset initialOffset, long nowNanos) {
        this.topic = topic;
        this.initialOffset = initialOffset;
        this.lastRequestNanos = nowNanos;
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
                PartitionState.Offer retry = partition.takeDueRetry(nowNanos, settings.maxRetries(), ackTimeout);
                if (retry != null) {
                    cursor = (cursor + i + 1) % count;
                    return new Delivery(partition, retry.record, true);
                }
            }
        }
        for (int i = 0; i < count; i++) {
            PartitionState partition = partitions.get((cursor + i) % count);
            ConsumerRecord<byte[], byte[]> record = partition.takeNew(settings.maxPendingMessages());
            if (record != null) {
                cursor = (cursor + i + 1) % count;
                return new Delivery(partition, record, false);
            }
        }
        return null;
    }

    boolean hasUnacked() {
        return partitions.stream().anyMatch(PartitionState::hasUnacked);
    }
}
