package io.kafkagateway.config;

import java.util.List;

/**
 * One Kafka cluster behind the gateway (one entry of {@code proxies}). {@code client_id} defaults to an id unique to
 * this gateway process.
 */
public record ClusterConfig(
        String clientId,
        KafkaSettings kafka,
        NetSettings net,
        ProducerSettings producer,
        ConsumerSettings consumer) {

    public static final ClusterConfig DEFAULTS = new ClusterConfig(null, null, null, null, null);

    public ClusterConfig {
        clientId = clientId == null || clientId.isBlank() ? ClientIds.generated() : clientId;
        kafka = Check.orDefault(kafka, KafkaSettings.DEFAULTS);
        net = Check.orDefault(net, NetSettings.DEFAULTS);
        producer = Check.orDefault(producer, ProducerSettings.DEFAULTS);
        consumer = Check.orDefault(consumer, ConsumerSettings.DEFAULTS);
    }

    public ClusterConfig withSeedPeers(List<String> seedPeers) {
        KafkaSettings k = kafka;
        return new ClusterConfig(clientId, new KafkaSettings(seedPeers, k.tls(), k.caCertificateFile(),
                k.clientCertificateFile(), k.clientKeyFile(), k.insecure(), k.properties()), net, producer, consumer);
    }
}
