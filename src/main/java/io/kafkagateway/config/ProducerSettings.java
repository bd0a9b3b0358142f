package io.kafkagateway.config;

import java.time.Duration;
import java.util.EnumSet;

/**
 * The cluster's shared producer. Pixy's keys map onto the Java producer (see {@code KafkaClientProperties});
 * {@code properties} are passed to the producer as written and win over the mapped values.
 */
public record ProducerSettings(
        Integer channelBufferSize,
        Integer maxMessageBytes,
        Compression compression,
        Integer flushBytes,
        Duration flushFrequency,
        Duration retryBackoff,
        Integer retryMax,
        RequiredAcks requiredAcks,
        Duration shutdownTimeout,
        PartitionerKind partitioner,
        Duration timeout,
        ClientProperties properties) {

    /** Kafka's request size is an int, and room is needed for the key, headers and framing. */
    static final int MAX_MESSAGE_BYTES_LIMIT = Integer.MAX_VALUE / 2;

    public static final ProducerSettings DEFAULTS =
            new ProducerSettings(null, null, null, null, null, null, null, null, null, null, null, null);

    public ProducerSettings {
        channelBufferSize = Check.atLeast("channel_buffer_size", channelBufferSize, 1, 4096);
        maxMessageBytes = Check.atLeast("max_message_bytes", maxMessageBytes, 1, 1_000_000);
        if (maxMessageBytes > MAX_MESSAGE_BYTES_LIMIT) {
            throw new IllegalConfigurationException("max_message_bytes", "must be at most " + MAX_MESSAGE_BYTES_LIMIT
                    + " (Kafka's own limit is an int), got " + maxMessageBytes);
        }
        compression = Check.orDefault(compression, Compression.SNAPPY);
        flushBytes = Check.atLeast("flush_bytes", flushBytes, 0, 1_048_576);
        flushFrequency = Check.notNegative("flush_frequency", flushFrequency, Duration.ofMillis(500));
        retryBackoff = Check.positive("retry_backoff", retryBackoff, Duration.ofSeconds(10));
        retryMax = Check.atLeast("retry_max", retryMax, 0, 6);
        requiredAcks = Check.orDefault(requiredAcks, RequiredAcks.WAIT_FOR_ALL);
        shutdownTimeout = Check.notNegative("shutdown_timeout", shutdownTimeout, Duration.ofSeconds(30));
        partitioner = Check.orDefault(partitioner, PartitionerKind.HASH);
        timeout = Check.positive("timeout", timeout, Duration.ofSeconds(10));
        properties = Check.orDefault(properties, ClientProperties.NONE)
                .validate("properties", EnumSet.of(ClientKind.PRODUCER));
    }
}
