package io.kafkagateway.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Looks up an offset of a partition by time: {@link #EARLIEST} the first offset, {@link #LATEST} the next offset to
 * be written, otherwise the first offset whose timestamp (ms) is at least {@code timestamp} (-1 when there is none).
 * Fails within {@code timeout}.
 */
public record ListOffsetRequest(String topic, int partition, long timestamp, Duration timeout) {

    public static final long EARLIEST = -2;
    public static final long LATEST = -1;

    public ListOffsetRequest {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(timeout, "timeout");
    }
}
