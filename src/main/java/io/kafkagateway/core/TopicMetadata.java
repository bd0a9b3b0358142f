package io.kafkagateway.core;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the gateway reports about a topic. {@code config} holds the topic's own config overrides and is {@code null}
 * when not asked for; {@code partitions} is sorted by partition and {@code null} when not asked for.
 */
public record TopicMetadata(String topic, Map<String, String> config, List<PartitionMetadata> partitions) {

    public TopicMetadata {
        Objects.requireNonNull(topic, "topic");
        config = config == null ? null : Map.copyOf(config);
        partitions = partitions == null ? null : List.copyOf(partitions);
    }
}
