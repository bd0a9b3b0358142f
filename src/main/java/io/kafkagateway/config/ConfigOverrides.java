package io.kafkagateway.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Values given on the command line; each non-null one overrides the file. Kafka-Pixy's Kafka flags apply to the
 * default cluster only.
 */
public record ConfigOverrides(
        Path configFile,
        String grpcAddr,
        String tcpAddr,
        String unixAddr,
        String managementAddr,
        String pidFile,
        List<String> kafkaPeers,
        List<String> zookeeperPeers,
        Boolean tls,
        String caCertFile,
        String clientCertFile,
        String clientCertKeyFile,
        Boolean insecureTls,
        Boolean embeddedKafka,
        String embeddedKafkaDir,
        Integer embeddedKafkaPort,
        String logLevel) {

    public static final ConfigOverrides NONE =
            new ConfigOverrides(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);

    public static ConfigOverrides configFile(Path file) {
        return NONE.withConfigFile(file);
    }

    public ConfigOverrides withConfigFile(Path file) {
        return new ConfigOverrides(file, grpcAddr, tcpAddr, unixAddr, managementAddr, pidFile, kafkaPeers, zookeeperPeers, tls,
                caCertFile, clientCertFile, clientCertKeyFile, insecureTls, embeddedKafka, embeddedKafkaDir,
                embeddedKafkaPort, logLevel);
    }

    boolean touchesDefaultCluster() {
        return kafkaPeers != null || tls != null || caCertFile != null || clientCertFile != null
                || clientCertKeyFile != null || insecureTls != null;
    }
}
