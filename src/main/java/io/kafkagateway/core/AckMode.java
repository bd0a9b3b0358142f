package io.kafkagateway.core;

/**
 * How a consume request treats acknowledgement: {@code AUTO} acknowledges the message as it is handed out;
 * {@code NONE} leaves it pending, to be acknowledged later or offered again after the ack timeout; {@code EXPLICIT}
 * first acknowledges an earlier message (partition and offset), then behaves as {@code NONE}.
 */
public enum AckMode {
    AUTO, NONE, EXPLICIT
}
