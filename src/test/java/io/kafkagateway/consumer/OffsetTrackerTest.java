package io.kafkagateway.consumer;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OffsetTrackerTest {

    @Test
    void committedOffsetIsTheLowestUnacknowledged() {
        // Given
        OffsetTracker tracker = new OffsetTracker(0);

        // When: offsets 0..9 offered, 0, 2, 3, 4, 7, 8 acknowledged
        for (long offset : new long[] {0, 2, 3, 4, 7, 8}) {
            assertThat(tracker.ack(offset)).isTrue();
        }

        // Then
        assertThat(tracker.committed()).isEqualTo(1);
        assertThat(tracker.ranges()).containsExactly(new AckedRange(2, 5), new AckedRange(7, 9));
        assertThat(SparseAcks.describe(tracker.committed(), tracker.ranges())).isEqualTo("1-4,6-8");
    }

    @Test
    void agreesWithASetOfAcknowledgedOffsetsWhateverTheOrder() {
        java.util.Random random = new java.util.Random(42);
        for (int run = 0; run < 300; run++) {
            // Given: offsets 0..59, a random part of them acknowledged in a random order, in-order stretches included
            OffsetTracker tracker = new OffsetTracker(0);
            java.util.Set<Long> acked = new java.util.HashSet<>();
            List<Long> order = new java.util.ArrayList<>();
            for (long o = 0; o < 60; o++) {
                order.add(o);
            }
            if (run % 3 != 0) {
                java.util.Collections.shuffle(order, random);
            }
            for (long offset : order.subList(0, 10 + random.nextInt(50))) {
                // When
                boolean changed = tracker.ack(offset);

                // Then: it changed exactly when the offset was new, and the tracker agrees with the set
                assertThat(changed).isEqualTo(acked.add(offset));
                long lowestUnacked = 0;
                while (acked.contains(lowestUnacked)) {
                    lowestUnacked++;
                }
                assertThat(tracker.committed()).isEqualTo(lowestUnacked);
                for (long o = 0; o < 60; o++) {
                    assertThat(tracker.isAcked(o)).as("run %d, offset %d", run, o).isEqualTo(acked.contains(o));
                }
            }
        }
    }

    @Test
    void acknowledgingTheGapsAdvancesPastTheRanges() {
        OffsetTracker tracker = new OffsetTracker(0);
        for (long offset : new long[] {0, 2, 3, 4, 7, 8}) {
            tracker.ack(offset);
        }
        tracker.ack(1);
        assertThat(tracker.committed()).isEqualTo(5);
        tracker.ack(6);
        assertThat(tracker.ranges()).containsExactly(new AckedRange(6, 9));
        tracker.ack(5);
        assertThat(tracker.committed()).isEqualTo(9);
        assertThat(tracker.ranges()).isEmpty();
        assertThat(tracker.metadata()).isEmpty();
    }

    @Test
    void acksBelowTheCommittedOffsetOrRepeatedAreIgnored() {
        OffsetTracker tracker = new OffsetTracker(10);
        assertThat(tracker.ack(9)).isFalse();
        assertThat(tracker.ack(12)).isTrue();
        assertThat(tracker.ack(12)).isFalse();
        assertThat(tracker.committed()).isEqualTo(10);
    }

    @Test
    void acksForOffsetsNeverOfferedAreRecorded() {
        OffsetTracker tracker = new OffsetTracker(0);
        tracker.ack(1000);
        assertThat(tracker.isAcked(1000)).isTrue();
        assertThat(tracker.isAcked(999)).isFalse();
    }

    @Test
    void restoresFromCommitMetadataAndSkipsAcknowledgedOffsets() {
        // Given: what a previous owner committed
        OffsetTracker tracker = OffsetTracker.restore(1001, "BDCC");

        // Then
        assertThat(tracker.nextUnacked(1001)).isEqualTo(1001);
        assertThat(tracker.nextUnacked(1002)).isEqualTo(1005);
        assertThat(tracker.nextUnacked(1006)).isEqualTo(1006);
        assertThat(tracker.nextUnacked(1007)).isEqualTo(1009);
        assertThat(tracker.isAcked(1003)).isTrue();
        assertThat(tracker.isAcked(1005)).isFalse();
    }

    @Test
    void rangesMergeWithNeighboursOnBothSides() {
        OffsetTracker tracker = new OffsetTracker(0);
        tracker.ack(5);
        tracker.ack(7);
        tracker.ack(6);
        assertThat(tracker.ranges()).containsExactly(new AckedRange(5, 8));
        tracker.ack(2, 6);
        assertThat(tracker.ranges()).containsExactly(new AckedRange(2, 8));
        tracker.ack(0, 2);
        assertThat(tracker.committed()).isEqualTo(8);
    }

    @Test
    void gapsWithoutRecordsCanBeAcknowledgedAsARange() {
        OffsetTracker tracker = new OffsetTracker(3);
        tracker.ack(3);
        tracker.ack(4, 7);
        assertThat(tracker.committed()).isEqualTo(7);
    }

    @Test
    void resetMovesTheCommittedOffsetLive() {
        OffsetTracker tracker = new OffsetTracker(0);
        tracker.ack(5);
        tracker.reset(100, "BB");
        assertThat(tracker.committed()).isEqualTo(100);
        assertThat(tracker.ranges()).containsExactly(new AckedRange(101, 102));
    }

    @Test
    void refusesAcknowledgementsWhoseMetadataKafkaWouldReject() {
        // Given: every other offset acknowledged, so every acknowledgement adds a range
        OffsetTracker tracker = new OffsetTracker(0);
        long offset = 1;
        try {
            for (; offset < 100_000; offset += 2) {
                tracker.ack(offset);
            }
        } catch (OffsetTracker.TooManyAcksException expected) {
            // Then: refused before reaching Kafka's limit, and the state is unchanged by the refused ack
            assertThat(tracker.metadata().length()).isLessThanOrEqualTo(OffsetTracker.MAX_METADATA_CHARS);
            assertThat(tracker.isAcked(offset)).isFalse();
            assertThat(tracker.ack(0)).as("the oldest offset is always accepted").isTrue();
            assertThat(tracker.committed()).isEqualTo(2);
            return;
        }
        throw new AssertionError("no limit reached");
    }

    @Test
    void aRefusedAcknowledgementLeavesEveryRangeInPlace() {
        // Given: many ranges, then a merge that is accepted, then a new range that is refused
        OffsetTracker tracker = new OffsetTracker(0);
        long offset = 1;
        while (true) {
            try {
                tracker.ack(offset);
                offset += 2;
            } catch (OffsetTracker.TooManyAcksException full) {
                break;
            }
        }
        List<AckedRange> before = tracker.ranges();

        // When
        assertThat(tracker.ack(2)).as("joining two ranges needs no room").isTrue();
        List<AckedRange> merged = tracker.ranges();
        long farAhead = offset + 100;
        assertThatThrownBy(() -> tracker.ack(farAhead)).isInstanceOf(OffsetTracker.TooManyAcksException.class);

        // Then
        assertThat(merged).hasSize(before.size() - 1);
        assertThat(tracker.ranges()).isEqualTo(merged);
    }

    @Test
    void rejectsInvalidMetadataOnRestore() {
        assertThatThrownBy(() -> OffsetTracker.restore(10, "zz")).isInstanceOf(IllegalArgumentException.class);
        assertThat(OffsetTracker.restore(10, "").ranges()).isEqualTo(List.of());
    }
}
