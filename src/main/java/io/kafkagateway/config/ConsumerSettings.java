package io.kafkagateway.config;

import java.time.Duration;
import java.util.EnumSet;

/**
 * The cluster's consumer engine. Ours: {@code initial_offset}, where a group without a committed offset starts
 * ({@code latest}, as Kafka-Pixy, or {@code earliest}); {@code max_groups}, how many groups this gateway joins at once
 * (each has a Kafka consumer and a thread); {@code max_topics_per_group}, how many topics one group consumes here at
 * once (each change of them rebalances the group); {@code max_memory_bytes}, the bytes of fetched and unacknowledged
 * records the engine holds across all groups and partitions of the cluster.
 */
public record ConsumerSettings(
        Boolean disabled,
        Duration ackTimeout,
        Integer channelBufferSize,
        Integer fetchMaxBytes,
        Duration fetchMaxWait,
        Duration longPollingTimeout,
        Integer maxPendingMessages,
        Integer maxRetries,
        Duration offsetsCommitInterval,
        Duration retryBackoff,
        Duration subscriptionTimeout,
        InitialOffset initialOffset,
        Integer maxGroups,
        Integer maxTopicsPerGroup,
        Long maxMemoryBytes,
        ClientProperties properties) {

    public static final ConsumerSettings DEFAULTS =
            new ConsumerSettings(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    public ConsumerSettings {
        disabled = Check.orDefault(disabled, false);
        ackTimeout = Check.positive("ack_timeout", ackTimeout, Duration.ofMinutes(5));
        channelBufferSize = Check.atLeast("channel_buffer_size", channelBufferSize, 1, 64);
        fetchMaxBytes = Check.atLeast("fetch_max_bytes", fetchMaxBytes, 1, 1_048_576);
        fetchMaxWait = Check.notNegative("fetch_max_wait", fetchMaxWait, Duration.ofMillis(250));
        longPollingTimeout = Check.positive("long_polling_timeout", longPollingTimeout, Duration.ofSeconds(3));
        maxPendingMessages = Check.atLeast("max_pending_messages", maxPendingMessages, 1, 300);
        maxRetries = Check.atLeast("max_retries", maxRetries, -1, -1);
        offsetsCommitInterval = Check.positive("offsets_commit_interval", offsetsCommitInterval, Duration.ofMillis(500));
        retryBackoff = Check.positive("retry_backoff", retryBackoff, Duration.ofMillis(500));
        subscriptionTimeout = Check.positive("subscription_timeout", subscriptionTimeout, Duration.ofSeconds(15));
        initialOffset = Check.orDefault(initialOffset, InitialOffset.LATEST);
        maxGroups = Check.atLeast("max_groups", maxGroups, 1, 1000);
        maxTopicsPerGroup = Check.atLeast("max_topics_per_group", maxTopicsPerGroup, 1, 100);
        maxMemoryBytes = Check.atLeast("max_memory_bytes", maxMemoryBytes, 1L << 20, 256L << 20);
        properties = Check.orDefault(properties, ClientProperties.NONE)
                .validate("properties", EnumSet.of(ClientKind.CONSUMER));
    }
}
