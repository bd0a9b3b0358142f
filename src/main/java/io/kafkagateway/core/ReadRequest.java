package io.kafkagateway.core;

import java.time.Duration;
import java.util.Objects;

/**
 * Reads one partition from {@code offset} on, outside any consumer group, for the client-positioned WebSocket
 * dialects: at most {@code maxBytes} of records (at least one record, however large), waiting at most {@code maxWait}
 * for the first. {@code reader} names the caller's reader, which keeps its place between reads, so that reading on
 * from where the last batch ended costs no seek. The lookups a read may need first (does the partition exist, does it
 * hold the offset) fail after {@code timeout}.
 */
public record ReadRequest(String reader, String topic, int partition, long offset, int maxBytes, Duration maxWait,
                          Duration timeout) {

    public ReadRequest {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(maxWait, "maxWait");
        Objects.requireNonNull(timeout, "timeout");
        if (partition < 0 || offset < 0 || maxBytes < 1) {
            throw new IllegalArgumentException("partition and offset must be 0 or more, maxBytes 1 or more");
        }
    }
}
