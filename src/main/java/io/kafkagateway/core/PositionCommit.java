package io.kafkagateway.core;

/**
 * Commits a position that a client keeps itself (the kafka-proxy WebSocket dialect): the next offset to read of one
 * partition, for a group none of whose members consume through this gateway's engine.
 */
public record PositionCommit(String group, String topic, int partition, long offset) {

    public PositionCommit {
        new OffsetSetting(partition, offset, null);
    }
}
