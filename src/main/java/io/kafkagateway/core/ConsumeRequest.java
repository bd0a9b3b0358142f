package io.kafkagateway.core;

import io.kafkagateway.config.InitialOffset;

import java.util.Objects;

/**
 * One long-poll for messages of {@code topic} on behalf of {@code group}: it waits for the first, and takes up to
 * {@code maxMessages} that are ready at that moment. {@code initialOffset} (may be null: the cluster's setting) says
 * where the group starts if it has never committed. Once {@code abandonment} is set, the request gets no messages.
 */
public record ConsumeRequest(String group, String topic, AckMode ackMode, int ackPartition, long ackOffset,
                             InitialOffset initialOffset, int maxMessages, Abandonment abandonment) {

    /** Messages one request may take. */
    public static final int MAX_BATCH = 500;

    public ConsumeRequest {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(ackMode, "ackMode");
        abandonment = abandonment == null ? Abandonment.NEVER : abandonment;
        if (maxMessages < 1 || maxMessages > MAX_BATCH) {
            throw new IllegalArgumentException("maxMessages must be from 1 to " + MAX_BATCH + ", got " + maxMessages);
        }
    }

    /** A request for one message, as the REST and Kafka-Pixy APIs make. */
    public ConsumeRequest(String group, String topic, AckMode ackMode, int ackPartition, long ackOffset,
                          InitialOffset initialOffset) {
        this(group, topic, ackMode, ackPartition, ackOffset, initialOffset, 1, Abandonment.NEVER);
    }

    /** This request, abandoned when {@code abandonment} is set. */
    public ConsumeRequest abandonedBy(Abandonment abandonment) {
        return new ConsumeRequest(group, topic, ackMode, ackPartition, ackOffset, initialOffset, maxMessages, abandonment);
    }

    public static ConsumeRequest of(String group, String topic, AckMode mode) {
        return new ConsumeRequest(group, topic, mode, -1, -1, null);
    }
}
