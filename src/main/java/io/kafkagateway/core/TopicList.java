package io.kafkagateway.core;

import java.util.List;

/** Topics of a cluster, sorted by name, internal topics excluded. */
public record TopicList(List<TopicMetadata> topics) {

    public TopicList {
        topics = List.copyOf(topics);
    }
}
