package io.kafkagateway.config;

import java.util.EnumSet;
import java.util.List;

/**
 * How to reach the cluster: seed brokers, TLS (PEM files, as Kafka-Pixy took them) and client properties passed
 * through to every Kafka client of the cluster.
 */
public record KafkaSettings(
        List<String> seedPeers,
        Boolean tls,
        String caCertificateFile,
        String clientCertificateFile,
        String clientKeyFile,
        Boolean insecure,
        ClientProperties properties) {

    public static final KafkaSettings DEFAULTS = new KafkaSettings(null, null, null, null, null, null, null);

    public KafkaSettings {
        seedPeers = seedPeers == null ? List.of("localhost:9092") : List.copyOf(seedPeers);
        if (seedPeers.isEmpty()) {
            throw new IllegalConfigurationException("seed_peers", "needs at least one broker address (host:port)");
        }
        for (int i = 0; i < seedPeers.size(); i++) {
            String peer = seedPeers.get(i);
            Check.parse("seed_peers[" + i + "]", peer, HostPort::parse);
        }
        tls = Check.orDefault(tls, false);
        insecure = Check.orDefault(insecure, false);
        caCertificateFile = Check.readableFile("ca_certificate_file", caCertificateFile);
        clientCertificateFile = Check.readableFile("client_certificate_file", clientCertificateFile);
        clientKeyFile = Check.readableFile("client_key_file", clientKeyFile);
        Check.bothOrNeither("client_certificate_file", clientCertificateFile, "client_key_file", clientKeyFile);
        Check.pkcs8Key("client_key_file", clientKeyFile);
        properties = Check.orDefault(properties, ClientProperties.NONE)
                .validate("properties", EnumSet.allOf(ClientKind.class));
    }

    public String bootstrapServers() {
        return String.join(",", seedPeers);
    }
}
