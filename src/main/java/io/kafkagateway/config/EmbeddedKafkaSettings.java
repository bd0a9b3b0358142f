package io.kafkagateway.config;

/**
 * A single-node KRaft broker started inside the gateway's JVM, for trying the gateway without a Kafka cluster.
 * When enabled, the default cluster connects to it.
 */
public record EmbeddedKafkaSettings(Boolean enabled, String dataDir, Integer port) {

    public static final EmbeddedKafkaSettings DEFAULTS = new EmbeddedKafkaSettings(null, null, null);

    public EmbeddedKafkaSettings {
        enabled = Check.orDefault(enabled, false);
        dataDir = dataDir == null || dataDir.isBlank() ? "kafka-gateway-data/embedded-kafka" : dataDir;
        port = Check.orDefault(port, 9092);
        if (port < 0 || port > 65535) {
            throw new IllegalConfigurationException("port", "must be a TCP port (0-65535, 0 picks a free one), got " + port);
        }
    }
}
