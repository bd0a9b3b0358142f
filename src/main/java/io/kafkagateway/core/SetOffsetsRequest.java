package io.kafkagateway.core;

import java.util.List;

/** Moves {@code group} in some partitions of {@code topic}. */
public record SetOffsetsRequest(String group, String topic, List<OffsetSetting> offsets) {

    public SetOffsetsRequest {
        offsets = List.copyOf(offsets);
    }
}
