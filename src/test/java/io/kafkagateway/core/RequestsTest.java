package io.kafkagateway.core;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The checks every front-end shares, written once in the request types. */
class RequestsTest {

    @Test
    void theAckModeFollowsKafkaPixysRules() {
        assertThat(ConsumeRequest.acknowledging("g", "t", true, true, 1, 2L, null).ackMode()).isEqualTo(AckMode.NONE);
        assertThat(ConsumeRequest.acknowledging("g", "t", false, true, 1, 2L, null).ackMode()).isEqualTo(AckMode.AUTO);
        assertThat(ConsumeRequest.acknowledging("g", "t", false, false, null, null, null).ackMode()).isEqualTo(AckMode.AUTO);
        ConsumeRequest explicit = ConsumeRequest.acknowledging("g", "t", false, false, 1, 2L, null);
        assertThat(explicit.ackMode()).isEqualTo(AckMode.EXPLICIT);
        assertThat(explicit.ack()).isEqualTo(new AckRequest("g", "t", 1, 2));
        assertThatThrownBy(() -> ConsumeRequest.acknowledging("g", "t", false, false, 1, null, null))
                .hasMessage("ackPartition and ackOffset either both should be provided or neither");
        assertThatThrownBy(() -> ConsumeRequest.acknowledging("g", "t", false, false, -1, 0L, null))
                .isInstanceOf(GatewayException.class).hasMessageContaining("partition -1");
    }

    @Test
    void anAcknowledgementNamesAPartitionAndOffsetOfZeroOrMore() {
        assertThatThrownBy(() -> new AckRequest("g", "t", 0, -1)).isInstanceOf(GatewayException.class)
                .hasMessageContaining("offset -1");
        assertThatThrownBy(() -> new AckRequest("g", "t", -1, 0)).isInstanceOf(GatewayException.class)
                .hasMessageContaining("partition -1");
    }

    @Test
    void offsetSettingsAreCheckedAndEachPartitionIsNamedOnce() {
        assertThatThrownBy(() -> new OffsetSetting(-1, 0, null)).hasMessageContaining("bad partition");
        assertThatThrownBy(() -> new OffsetSetting(0, -3, null)).hasMessageContaining("-1 for the partition's end");
        assertThat(new OffsetSetting(0, -2, null).metadataOrEmpty()).isEmpty();
        assertThatThrownBy(() -> new SetOffsetsRequest("g", "t", List.of(new OffsetSetting(0, 1, null), new OffsetSetting(0, 2, null))))
                .isInstanceOfSatisfying(GatewayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_REQUEST))
                .hasMessageContaining("partition 0 is named more than once");
    }
}
