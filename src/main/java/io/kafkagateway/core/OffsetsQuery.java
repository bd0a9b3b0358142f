package io.kafkagateway.core;

/** Asks for a group's offsets in one topic. */
public record OffsetsQuery(String group, String topic) {
}
