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
        List<RecordHeader> headers = new ArrayList<>();
        for (org.apache.kafka.common.header.Header header : record.headers()) {
            headers.add(new RecordHeader(header.key(), header.value()));
        }
        return new ConsumedMessage(record.topic(), record.partition(), record.offset(), record.timestamp(), record.key(),
                record.value(), headers);
    }

    @Override
    public String toString() {
        return "ConsumedMessage[" + topic + "-" + partition + "@" + offset + "]";
    }
}
