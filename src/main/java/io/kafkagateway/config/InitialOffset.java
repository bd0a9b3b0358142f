package io.kafkagateway.config;

import com.fasterxml.jackson.annotation.JsonCreator;

/** Where a consumer group without a committed offset starts reading (Kafka's {@code auto.offset.reset}). */
public enum InitialOffset implements ConfigEnums.Spelled {
    LATEST, EARLIEST;

    public String kafkaName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @Override
    public String[] spellings() {
        return new String[] {kafkaName()};
    }

    @JsonCreator
    public static InitialOffset parse(String text) {
        return ConfigEnums.parse(InitialOffset.class, text);
    }
}
