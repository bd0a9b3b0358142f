package io.kafkagateway.consumer;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Messages waiting for their acknowledgement: order of redelivery, and nothing kept once acknowledged. */
class PendingAcksTest {

    private static final long ACK_TIMEOUT = Duration.ofSeconds(10).toNanos();

    private static ConsumerRecord<byte[], byte[]> record(long offset, int bytes) {
        return new ConsumerRecord<>("t", 0, offset, null, new byte[bytes]);
    }

    @Test
    void anAcknowledgedMessageIsFreedAtOnceThoughAnOlderOneIsNeverAcknowledged() {
        // Given: one message that is never acknowledged, then many 1 KB messages handed out after it
        PartitionState partition = TopicSubscriptionTest.state(0, new OffsetTracker(0), 0);
        partition.offer(record(0, 1024), false, ACK_TIMEOUT);
        ConsumerRecord<byte[], byte[]> watched = record(1, 1024);
        WeakReference<byte[]> payload = new WeakReference<>(watched.value());
        partition.offer(watched, false, ACK_TIMEOUT + 1);
        watched = null;
        for (long offset = 2; offset < 10_000; offset++) {
            partition.offer(record(offset, 1024), false, ACK_TIMEOUT + offset);
        }

        // When: all but the first are acknowledged
        for (long offset = 1; offset < 10_000; offset++) {
            partition.ack(offset);
        }

        // Then: their payloads can be collected while the first is still pending; one message's bytes are held
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            System.gc();
            return payload.get() == null;
        });
        assertThat(partition.hasUnacked()).isTrue();
        assertThat(partition.commitPoint().offset()).isZero();
    }

    @Test
    void dueMessagesComeBackOldestFirstAndOnesOfferedAgainAtOnceBeforeThem() {
        PendingAcks pending = new PendingAcks();
        pending.add(record(0, 1), false, 100);
        pending.add(record(1, 1), false, 200);
        pending.add(record(2, 1), true, 300);
        pending.dueAtOnce(2);

        assertThat(pending.takeDue(50).offset()).isEqualTo(2);
        assertThat(pending.takeDue(50)).isNull();
        assertThat(pending.takeDue(250).offset()).isZero();
        assertThat(pending.takeDue(250).offset()).isEqualTo(1);
        assertThat(pending.takeDue(250)).isNull();
    }

    @Test
    void bytesAndMessagesAwaitingTheClientAreCounted() {
        PendingAcks pending = new PendingAcks();
        PendingAcks.Offer manual = pending.add(record(0, 100), false, 1);
        pending.add(record(1, 100), true, 2);
        assertThat(pending.awaitingClient()).isEqualTo(1);
        assertThat(pending.bytes()).isEqualTo(2 * FlowControl.size(record(0, 100)));

        pending.mode(manual, true);
        assertThat(pending.awaitingClient()).isZero();
        pending.remove(0);
        pending.remove(1);
        assertThat(pending.bytes()).isZero();
        assertThat(pending.isEmpty()).isTrue();
    }
}
