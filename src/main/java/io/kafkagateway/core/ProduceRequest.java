package io.kafkagateway.core;

import java.util.List;
import java.util.Objects;

/**
 * One message to produce. A {@code null} key lets the partitioner choose; {@code partition} (when not
 * {@link #ANY_PARTITION}) overrides it; a {@code null} value is a tombstone (the Confluent API's {@code "value": null});
 * {@code sync} asks for the reply only once Kafka has acknowledged the record, otherwise the reply comes as soon as the
 * record is queued.
 */
public record ProduceRequest(String topic, byte[] key, byte[] value, List<RecordHeader> headers, boolean sync,
                             int partition) {

    /** The partitioner chooses. */
    public static final int ANY_PARTITION = -1;

    public ProduceRequest {
        Objects.requireNonNull(topic, "topic");
        headers = headers == null ? List.of() : List.copyOf(headers);
        if (partition < ANY_PARTITION) {
            throw new IllegalArgumentException("partition " + partition);
        }
    }

    /** A message whose value is not null, partitioned by its key. */
    public ProduceRequest(String topic, byte[] key, byte[] value, List<RecordHeader> headers, boolean sync) {
        this(topic, key, Objects.requireNonNull(value, "value"), headers, sync, ANY_PARTITION);
    }

    /** Bytes the record occupies before compression, as Kafka counts them for its size limit (approximately). */
    public int approximateSize() {
        int size = (value == null ? 0 : value.length) + (key == null ? 0 : key.length);
        for (RecordHeader header : headers) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }

    @Override
    public String toString() {
        return "ProduceRequest[topic=" + topic + ", keyBytes=" + (key == null ? "null" : key.length)
                + ", valueBytes=" + (value == null ? "null" : value.length) + ", headers=" + headers.size() + ", sync=" + sync
                + (partition == ANY_PARTITION ? "" : ", partition=" + partition) + "]";
    }
}
