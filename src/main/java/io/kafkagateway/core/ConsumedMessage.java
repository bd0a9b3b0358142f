package io.kafkagateway.core;

import java.util.ArrayList;
import java.util.List;

/**
 * A message handed to a consumer: where it is in Kafka, its timestamp (ms since the epoch), and what it holds. A null
 * key is a record without a key; a null value is a tombstone.
 */
public record ConsumedMessage(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                              List<RecordHeader> headers) {

    public ConsumedMessage {
        headers = List.copyOf(headers);
    }

    /** The message of a record fetched from Kafka. */
    public static ConsumedMessage of(org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> record) {
        org.apache.kafka.common.header.Header[] recordHeaders = record.headers().toArray();
        List<RecordHeader> headers;
        if (recordHeaders.length == 0) {
            headers = List.of();
        } else {
            headers = new ArrayList<>(recordHeaders.length);
            for (org.apache.kafka.common.header.Header header : recordHeaders) {
                headers.add(new RecordHeader(header.key(), header.value()));
            }
        }
        return new ConsumedMessage(record.topic(), record.partition(), record.offset(), record.timestamp(), record.key(),
                record.value(), headers);
    }

    @Override
    public String toString() {
        return "ConsumedMessage[" + topic + "-" + partition + "@" + offset + "]";
    }
}
