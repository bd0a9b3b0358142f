package io.kafkagateway.core;

import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;

/** Kafka's topic-name rules, applied before a request reaches Kafka. */
public final class Topics {

    private Topics() {
    }

    /** @throws GatewayException INVALID_REQUEST naming the rule {@code topic} breaks */
    public static String validate(String topic) {
        try {
            Topic.validate(topic);
            return topic;
        } catch (InvalidTopicException e) {
            throw GatewayException.invalid("invalid topic name '" + topic + "': " + e.getMessage());
        }
    }
}
