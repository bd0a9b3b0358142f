package io.kafkagateway.core;

/** Who consumes {@code topic}: in {@code group}, or in every group when it is null. */
public record ConsumersQuery(String group, String topic) {
}
