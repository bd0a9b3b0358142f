package io.kafkagateway.config;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.Set;

/** The Java Kafka clients a cluster uses, with the property names each understands. */
public enum ClientKind {
    PRODUCER(ProducerConfig.configNames()),
    CONSUMER(ConsumerConfig.configNames()),
    ADMIN(AdminClientConfig.configNames());

    private final Set<String> propertyNames;

    ClientKind(Set<String> propertyNames) {
        this.propertyNames = Set.copyOf(propertyNames);
    }

    public boolean understands(String property) {
        return propertyNames.contains(property);
    }
}
