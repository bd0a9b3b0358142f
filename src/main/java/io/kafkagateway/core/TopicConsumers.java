package io.kafkagateway.core;

import java.util.List;
import java.util.Map;

/** For each group, each member's partitions of the topic asked about. */
public record TopicConsumers(Map<String, Map<String, List<Integer>>> groups) {

    public TopicConsumers {
        groups = Map.copyOf(groups);
    }
}
