package io.kafkagateway.core;

import java.util.List;

/** One partition of a topic: its leader broker (-1 when none) and replica sets, by broker id. */
public record PartitionMetadata(int partition, int leader, List<Integer> replicas, List<Integer> isr) {

    public PartitionMetadata {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
    }
}
