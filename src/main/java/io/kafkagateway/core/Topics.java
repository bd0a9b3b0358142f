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
            throw GatewayException.invalid("invalid topic name '" + Names.printable(topic) + "': " + e.getMessage());
        }
    }

    /**
     * A topic messages may be produced to: Kafka's internal topics ({@code __consumer_offsets},
     * {@code __transaction_state}, ...) hold Kafka's own records and are refused before anything is sent.
     *
     * @throws GatewayException INVALID_REQUEST for an internal topic
     */
    public static void requireProducible(String topic) {
        if (Topic.isInternal(topic)) {
            throw GatewayException.invalid("topic " + topic + " is internal to Kafka; the gateway does not produce to it");
        }
    }
}
