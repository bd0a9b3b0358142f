package io.kafkagateway.core;

/** Acknowledges the message at ({@code partition}, {@code offset}) of {@code topic} for {@code group}. */
public record AckRequest(String group, String topic, int partition, long offset) {
}
