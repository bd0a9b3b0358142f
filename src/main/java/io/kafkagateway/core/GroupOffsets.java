package io.kafkagateway.core;

import java.util.List;

/** A group's offsets in every partition of a topic, by partition. */
public record GroupOffsets(List<PartitionOffset> partitions) {

    public GroupOffsets {
        partitions = List.copyOf(partitions);
    }
}
