package io.kafkagateway.peers;

import io.kafkagateway.core.ConsumedBatch;
import io.kafkagateway.core.ConsumedMessage;
import io.kafkagateway.core.Receipt;
import io.kafkagateway.peers.wire.Outcome;
import io.kafkagateway.peers.wire.Position;
import io.kafkagateway.peers.wire.Report;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class HeldBatchesTest {

    /** What a batch's receipt was told. */
    private static final class Told implements Receipt {
        final List<String> events = new ArrayList<>();

        @Override
        public void delivered() {
            events.add("delivered");
        }

        @Override
        public void undelivered() {
            events.add("undelivered");
        }

        @Override
        public void returned(List<ConsumedMessage> messages) {
            events.add("returned " + messages.stream().map(m -> m.partition() + "@" + m.offset()).toList());
        }
    }

    private static ConsumedBatch batch(Told told, long... offsets) {
        List<ConsumedMessage> messages = new ArrayList<>();
        for (long offset : offsets) {
            messages.add(new ConsumedMessage("t", 0, offset, 0, null, new byte[] {1}, List.of()));
        }
        return new ConsumedBatch(messages, told);
    }

    private static Report report(long id, Outcome outcome, long... returned) {
        Report.Builder report = Report.newBuilder().setReceipt(id).setOutcome(outcome);
        for (long offset : returned) {
            report.addReturned(Position.newBuilder().setPartition(0).setOffset(offset));
        }
        return report.build();
    }

    @Test
    void reportsReachTheBatchTheyNameAndReturnOnlyTheMessagesNamed() {
        HeldBatches held = new HeldBatches(Duration.ofMinutes(1).toNanos());
        Told first = new Told();
        Told second = new Told();
        long a = held.hold(batch(first, 1, 2, 3));
        long b = held.hold(batch(second, 4));

        held.report(report(a, Outcome.DELIVERED));
        held.report(report(a, Outcome.RETURNED, 2, 3, 99));
        held.report(report(b, Outcome.UNDELIVERED));
        held.report(report(b, Outcome.DELIVERED)); // after the batch was let go: nothing

        assertThat(first.events).containsExactly("delivered", "returned [0@2, 0@3]");
        assertThat(second.events).containsExactly("undelivered");
    }

    @Test
    void atMostMaxBatchesAreHeldTheOldestLetGoFirst() {
        HeldBatches held = new HeldBatches(Duration.ofMinutes(1).toNanos());
        Told oldest = new Told();
        long first = held.hold(batch(oldest, 0));
        Told second = new Told();
        long next = held.hold(batch(second, 1));
        for (int i = 2; i < HeldBatches.MAX; i++) {
            held.hold(batch(new Told(), i));
        }

        // When: one more than MAX
        held.hold(batch(new Told(), HeldBatches.MAX));

        // Then: the oldest is no longer held (its messages come back by the engine's ack timeout); the next still is
        held.report(report(first, Outcome.DELIVERED));
        held.report(report(next, Outcome.DELIVERED));
        assertThat(oldest.events).isEmpty();
        assertThat(second.events).containsExactly("delivered");
    }

    @Test
    void aBatchHeldLongerThanItsTimeIsLetGo() {
        HeldBatches held = new HeldBatches(0);
        Told expired = new Told();
        long id = held.hold(batch(expired, 0));

        held.hold(batch(new Told(), 1)); // holding looks for expired batches first
        held.report(report(id, Outcome.DELIVERED));

        assertThat(expired.events).isEmpty();
    }
}
