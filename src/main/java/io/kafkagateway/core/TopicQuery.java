package io.kafkagateway.core;

/**
 * A metadata question: one topic when {@code topic} is set, every topic otherwise; the flags say which details to
 * include.
 */
public record TopicQuery(String topic, boolean withPartitions, boolean withConfig) {

    public static TopicQuery allTopics(boolean withPartitions, boolean withConfig) {
        return new TopicQuery(null, withPartitions, withConfig);
    }

    public static TopicQuery oneTopic(String topic, boolean withPartitions, boolean withConfig) {
        return new TopicQuery(topic, withPartitions, withConfig);
    }
}
