package io.kafkagateway.core;

/**
 * Where to move a group in one partition: an offset (or -1 for the partition's end, -2 for its beginning) and the
 * commit metadata to store with it (sparse acknowledgements in Kafka-Pixy's encoding, or any text).
 */
public record OffsetSetting(int partition, long offset, String metadata) {
}
