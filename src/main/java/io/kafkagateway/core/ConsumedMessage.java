package io.kafkagateway.core;

import java.util.List;

/** A message handed to a consumer: where it is in Kafka, and what it holds. A null key is a record without a key. */
public record ConsumedMessage(String topic, int partition, long offset, byte[] key, byte[] value, List<RecordHeader> headers) {

    public ConsumedMessage {
        headers = List.copyOf(headers);
    }

    @Override
    public String toString() {
        return "ConsumedMessage[" + topic + "-" + partition + "@" + offset + "]";
    }
}
