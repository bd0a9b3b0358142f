package io.kafkagateway.core;

import io.kafkagateway.config.InitialOffset;

import java.util.Objects;

/**
 * One long-poll for messages of {@code topic} on behalf of {@code group}: it waits for the first, and takes up to
 * {@code maxMessages} that are ready at that moment. {@code initialOffset} (may be null: the cluster's setting) says
 * where the group starts if it has never committed. Once {@code abandonment} is set, the request gets no messages.
 * An {@code EXPLICIT} request first acknowledges the message at {@code ackPartition}/{@code ackOffset}.
 */
public record ConsumeRequest(String group, String topic, AckMode ackMode, int ackPartition, long ackOffset,
                             InitialOffset initialOffset, int maxMessages, Abandonment abandonment) {

    /** Messages one request may take. */
    public static final int MAX_BATCH = 500;

    /** @throws GatewayException INVALID_REQUEST for an explicit acknowledgement of a negative partition or offset */
    public ConsumeRequest {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(ackMode, "ackMode");
        abandonment = abandonment == null ? Abandonment.NEVER : abandonment;
        if (maxMessages < 1 || maxMessages > MAX_BATCH) {
            throw new IllegalArgumentException("maxMessages must be from 1 to " + MAX_BATCH + ", got " + maxMessages);
        }
        if (ackMode == AckMode.EXPLICIT) {
            new AckRequest(group, topic, ackPartition, ackOffset);
        }
    }

    /** A request for one message, as the REST and Kafka-Pixy APIs make. */
    public ConsumeRequest(String group, String topic, AckMode ackMode, int ackPartition, long ackOffset,
                          InitialOffset initialOffset) {
        this(group, topic, ackMode, ackPartition, ackOffset, initialOffset, 1, Abandonment.NEVER);
    }

    /**
     * A request for one message that may acknowledge an earlier one, with Kafka-Pixy's rules, which its REST and gRPC
     * APIs share: {@code noAck} wins (the message stays pending); then {@code autoAck}; then a partition and an offset
     * given together acknowledge that message (the new one stays pending); neither given acknowledges the new message
     * as it is delivered.
     *
     * @throws GatewayException INVALID_REQUEST when only one of partition and offset is given, or either is negative
     */
    public static ConsumeRequest acknowledging(String group, String topic, boolean noAck, boolean autoAck,
                                               Integer ackPartition, Long ackOffset, InitialOffset initialOffset) {
        if (noAck) {
            return new ConsumeRequest(group, topic, AckMode.NONE, -1, -1, initialOffset);
        }
        if (autoAck) {
            return new ConsumeRequest(group, topic, AckMode.AUTO, -1, -1, initialOffset);
        }
        if ((ackPartition == null) != (ackOffset == null)) {
            throw GatewayException.invalid("ackPartition and ackOffset either both should be provided or neither");
        }
        return ackPartition == null
                ? new ConsumeRequest(group, topic, AckMode.AUTO, -1, -1, initialOffset)
                : new ConsumeRequest(group, topic, AckMode.EXPLICIT, ackPartition, ackOffset, initialOffset);
    }

    /** The acknowledgement an {@code EXPLICIT} request carries. */
    public AckRequest ack() {
        if (ackMode != AckMode.EXPLICIT) {
            throw new IllegalStateException("only an explicit request carries an acknowledgement");
        }
        return new AckRequest(group, topic, ackPartition, ackOffset);
    }

    /** This request, abandoned when {@code abandonment} is set. */
    public ConsumeRequest abandonedBy(Abandonment abandonment) {
        return new ConsumeRequest(group, topic, ackMode, ackPartition, ackOffset, initialOffset, maxMessages, abandonment);
    }

    public static ConsumeRequest of(String group, String topic, AckMode mode) {
        return new ConsumeRequest(group, topic, mode, -1, -1, null);
    }
}
