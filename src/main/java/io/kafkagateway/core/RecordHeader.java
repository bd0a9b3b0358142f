package io.kafkagateway.core;

import java.util.Arrays;
import java.util.Objects;

/** A Kafka record header as clients send and receive it. */
public record RecordHeader(String key, byte[] value) {

    public RecordHeader {
        Objects.requireNonNull(key, "key");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecordHeader that && key.equals(that.key) && Arrays.equals(value, that.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "RecordHeader[key=" + key + ", bytes=" + (value == null ? "null" : value.length) + "]";
    }
}
