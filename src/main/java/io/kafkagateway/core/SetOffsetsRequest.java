package io.kafkagateway.core;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Moves {@code group} in some partitions of {@code topic}, each named once.
 *
 * @throws GatewayException INVALID_REQUEST when a partition is named twice
 */
public record SetOffsetsRequest(String group, String topic, List<OffsetSetting> offsets) {

    public SetOffsetsRequest {
        offsets = List.copyOf(offsets);
        Set<Integer> seen = new HashSet<>();
        for (OffsetSetting setting : offsets) {
            if (!seen.add(setting.partition())) {
                throw GatewayException.invalid("partition " + setting.partition() + " is named more than once; give each"
                        + " partition one offset");
            }
        }
    }
}
