package io.kafkagateway.core;

import io.kafkagateway.config.InitialOffset;

import java.util.Objects;

/**
 * One long-poll for a message of {@code topic} on behalf of {@code group}. {@code initialOffset} (may be null: the
 * cluster's setting) says where the group starts if it has never committed.
 */
public record ConsumeRequest(String group, String topic, AckMode ackMode, int ackPartition, long ackOffset,
                             InitialOffset initialOffset) {

    public ConsumeRequest {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(ackMode, "ackMode");
    }

    public static ConsumeRequest of(String group, String topic, AckMode mode) {
        return new ConsumeRequest(group, topic, mode, -1, -1, null);
    }
}
