package io.kafkagateway.config;

import com.fasterxml.jackson.annotation.JsonCreator;

/** How many replicas must store a record before the broker acknowledges it (Kafka's {@code acks}). */
public enum RequiredAcks implements ConfigEnums.Spelled {
    NO_RESPONSE("0", "no_response"),
    WAIT_FOR_LOCAL("1", "wait_for_local"),
    WAIT_FOR_ALL("all", "wait_for_all");

    private final String kafkaAcks;
    private final String spelling;

    RequiredAcks(String kafkaAcks, String spelling) {
        this.kafkaAcks = kafkaAcks;
        this.spelling = spelling;
    }

    public String kafkaAcks() {
        return kafkaAcks;
    }

    @Override
    public String[] spellings() {
        return new String[] {spelling};
    }

    @JsonCreator
    public static RequiredAcks parse(String text) {
        return ConfigEnums.parse(RequiredAcks.class, text);
    }
}
