package io.kafkagateway.core;

import java.util.List;
import java.util.Objects;

/**
 * One message to produce. A {@code null} key lets the partitioner choose; {@code sync} asks for the reply only once
 * Kafka has acknowledged the record, otherwise the reply comes as soon as the record is queued.
 */
public record ProduceRequest(String topic, byte[] key, byte[] value, List<RecordHeader> headers, boolean sync) {

    public ProduceRequest {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(value, "value");
        headers = headers == null ? List.of() : List.copyOf(headers);
    }

    /** Bytes the record occupies before compression, as Kafka counts them for its size limit (approximately). */
    public int approximateSize() {
        int size = value.length + (key == null ? 0 : key.length);
        for (RecordHeader header : headers) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }

    @Override
    public String toString() {
        return "ProduceRequest[topic=" + topic + ", keyBytes=" + (key == null ? "null" : key.length)
                + ", valueBytes=" + value.length + ", headers=" + headers.size() + ", sync=" + sync + "]";
    }
}
