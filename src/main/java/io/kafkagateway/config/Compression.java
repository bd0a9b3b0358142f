package io.kafkagateway.config;

import com.fasterxml.jackson.annotation.JsonCreator;

/** Batch compression codec (Kafka's {@code compression.type}). Pixy offered all but zstd. */
public enum Compression implements ConfigEnums.Spelled {
    NONE, GZIP, SNAPPY, LZ4, ZSTD;

    public String kafkaName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String[] spellings() {
        return new String[] {kafkaName()};
    }

    @JsonCreator
    public static Compression parse(String text) {
        return ConfigEnums.parse(Compression.class, text);
    }
}
