package io.kafkagateway.consumer;

import io.kafkagateway.config.ConfigLoader;
import io.kafkagateway.config.ConfigOverrides;
import io.kafkagateway.config.ConsumerSettings;
import io.kafkagateway.config.InitialOffset;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which message goes out next, with the clock in the test's hands. */
class TopicSubscriptionTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private static ConsumerSettings settings(String yaml) {
        return ConfigLoader.parse("proxies:\n  c:\n    consumer: " + yaml + "\n", ConfigOverrides.NONE).config().cluster("c").consumer();
    }

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset) {
        return new ConsumerRecord<>("t", partition, offset, null, ("m" + offset).getBytes());
    }

    static PartitionState state(int partition, OffsetTracker tracker, long position) {
        return new PartitionState("g", new ConsumerStats(), new TopicPartition("t", partition), tracker, position, 0, null);
    }

    private static PartitionState partition(int partition, long... offsets) {
        PartitionState state = state(partition, new OffsetTracker(offsets[0]), offsets[0]);
        state.append(java.util.Arrays.stream(offsets).mapToObj(o -> record(partition, o)).toList(), 0);
        return state;
    }

    private static TopicSubscription subscription() {
        return new TopicSubscription("t", InitialOffset.EARLIEST, null, 0);
    }

    /** Hands out the next message as a consume request would, offering it until {@code now + ack_timeout}. */
    private static TopicSubscription.Delivery next(TopicSubscription subscription, long now, ConsumerSettings settings) {
        TopicSubscription.Delivery delivery = subscription.next(now, settings);
        if (delivery != null && delivery.retry() == null) {
            delivery.partition().offer(delivery.record(), false, now + settings.ackTimeout().toNanos());
        }
        return delivery;
    }

    @Test
    void aDueRedeliveryGoesOutBeforeNewMessages() {
        // Given
        ConsumerSettings settings = settings("{ack_timeout: 1s}");
        TopicSubscription subscription = subscription();
        subscription.partitions.add(partition(0, 0, 1, 2));
        assertThat(next(subscription, 0, settings).record().offset()).isZero();

        // When / Then: before the deadline, new messages; after it, the unacknowledged one first
        assertThat(next(subscription, SECOND / 2, settings).record().offset()).isEqualTo(1);
        TopicSubscription.Delivery due = next(subscription, SECOND + 1, settings);
        assertThat(due.retry()).isNotNull();
        assertThat(due.record().offset()).isZero();
        assertThat(next(subscription, SECOND + 2, settings).record().offset()).isEqualTo(2);
    }

    @Test
    void partitionsTakeTurns() {
        ConsumerSettings settings = settings("{}");
        TopicSubscription subscription = subscription();
        subscription.partitions.add(partition(0, 0, 1));
        subscription.partitions.add(partition(1, 0, 1));
        List<Integer> order = java.util.stream.Stream.generate(() -> next(subscription, 0, settings))
                .limit(4).map(d -> d.record().partition()).toList();
        assertThat(order).containsExactly(0, 1, 0, 1);
        assertThat(subscription.next(0, settings)).isNull();
    }

    @Test
    void acknowledgedMessagesAreNeverOfferedAgain() {
        ConsumerSettings settings = settings("{ack_timeout: 1s}");
        TopicSubscription subscription = subscription();
        PartitionState partition = partition(0, 0);
        subscription.partitions.add(partition);
        next(subscription, 0, settings);
        partition.ack(0);
        assertThat(subscription.next(10 * SECOND, settings)).isNull();
        assertThat(subscription.hasUnacked()).isFalse();
    }

    @Test
    void offsetsWithoutRecordsCountAsAcknowledged() {
        // Given: records at 5 and 8 (6 and 7 are transaction markers, say)
        PartitionState partition = state(0, new OffsetTracker(5), 5);
        partition.append(List.of(record(0, 5), record(0, 8)), 0);

        // When
        partition.ack(5);

        // Then
        assertThat(partition.commitPoint().offset()).isEqualTo(8);
    }

    @Test
    void recordsAlreadyAcknowledgedInTheCommitMetadataAreSkipped() {
        ConsumerSettings settings = settings("{}");
        PartitionState partition = state(0, OffsetTracker.restore(1001, "BDCC"), 1001);
        partition.append(java.util.stream.LongStream.range(1001, 1010).mapToObj(o -> record(0, o)).toList(), 0);
        TopicSubscription subscription = subscription();
        subscription.partitions.add(partition);
        List<Long> offered = java.util.stream.Stream.generate(() -> next(subscription, 0, settings))
                .takeWhile(java.util.Objects::nonNull).map(d -> d.record().offset()).toList();
        assertThat(offered).containsExactly(1001L, 1005L, 1006L, 1009L);
    }
}
