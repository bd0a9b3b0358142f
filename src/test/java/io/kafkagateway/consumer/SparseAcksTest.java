package io.kafkagateway.consumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SparseAcksTest {

    @ParameterizedTest
    @CsvSource({"0, A", "31, f", "32, gB", "1000, of", "1, B"})
    void encodesIntegersAsKafkaPixyDoes(long value, String encoded) {
        StringBuilder out = new StringBuilder();
        SparseAcks.encodeInt(value, out);
        assertThat(out).hasToString(encoded);
    }

    @Test
    void encodesRangesRelativeToTheCommittedOffsetAsKafkaPixyDoes() {
        // Committed 1001, acked {1002, 1003, 1004} and {1007, 1008}
        List<AckedRange> ranges = List.of(new AckedRange(1002, 1005), new AckedRange(1007, 1009));
        assertThat(SparseAcks.encode(1001, ranges)).isEqualTo("BDCC");
        assertThat(SparseAcks.decode(1001, "BDCC")).isEqualTo(ranges);
    }

    @Test
    void describesRangesRelativeToTheCommittedOffset() {
        // Acking 0, 2, 3, 4, 7, 8 of offsets 0..9: committed 1
        List<AckedRange> ranges = List.of(new AckedRange(2, 5), new AckedRange(7, 9));
        assertThat(SparseAcks.describe(1, ranges)).isEqualTo("1-4,6-8");
        assertThat(SparseAcks.describe(1, List.of())).isEmpty();
    }

    @Test
    void roundTripsLargeOffsets() {
        List<AckedRange> ranges = List.of(new AckedRange(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4 + 3),
                new AckedRange(Long.MAX_VALUE / 2, Long.MAX_VALUE / 2 + 1));
        assertThat(SparseAcks.decode(7, SparseAcks.encode(7, ranges))).isEqualTo(ranges);
    }

    @Test
    void emptyMetadataHasNoRanges() {
        assertThat(SparseAcks.decode(5, "")).isEmpty();
        assertThat(SparseAcks.decode(5, null)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"B", "gg", "B!", "AB", "BA", "ggggggggggggggB"})
    void rejectsWhatCannotBeDecoded(String metadata) {
        assertThatThrownBy(() -> SparseAcks.decode(10, metadata)).isInstanceOf(IllegalArgumentException.class);
    }
}
