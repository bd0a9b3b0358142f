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
        String logLevel,
        List<String> clusterMembers,
        Integer clusterPort,
        String instanceId,
        String confluentAddr,
        String schemaRegistryAddr) {

    public static final ConfigOverrides NONE = builder().build();

    public static ConfigOverrides configFile(Path file) {
        return builder().configFile(file).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Collects the flags given; anything not set stays null (not overridden). */
    public static final class Builder {
        private Path configFile;
        private String grpcAddr;
        private String tcpAddr;
        private String unixAddr;
        private String managementAddr;
        private String pidFile;
        private List<String> kafkaPeers;
        private List<String> zookeeperPeers;
        private Boolean tls;
        private String caCertFile;
        private String clientCertFile;
        private String clientCertKeyFile;
        private Boolean insecureTls;
        private Boolean embeddedKafka;
        private String embeddedKafkaDir;
        private Integer embeddedKafkaPort;
        private String logLevel;
        private List<String> clusterMembers;
        private Integer clusterPort;
        private String instanceId;
        private String confluentAddr;
        private String schemaRegistryAddr;

        public Builder configFile(Path v) { configFile = v; return this; }
        public Builder grpcAddr(String v) { grpcAddr = v; return this; }
        public Builder tcpAddr(String v) { tcpAddr = v; return this; }
        public Builder unixAddr(String v) { unixAddr = v; return this; }
        public Builder managementAddr(String v) { managementAddr = v; return this; }
        public Builder pidFile(String v) { pidFile = v; return this; }
        public Builder kafkaPeers(List<String> v) { kafkaPeers = v; return this; }
        public Builder zookeeperPeers(List<String> v) { zookeeperPeers = v; return this; }
        public Builder tls(Boolean v) { tls = v; return this; }
        public Builder caCertFile(String v) { caCertFile = v; return this; }
        public Builder clientCertFile(String v) { clientCertFile = v; return this; }
        public Builder clientCertKeyFile(String v) { clientCertKeyFile = v; return this; }
        public Builder insecureTls(Boolean v) { insecureTls = v; return this; }
        public Builder embeddedKafka(Boolean v) { embeddedKafka = v; return this; }
        public Builder embeddedKafkaDir(String v) { embeddedKafkaDir = v; return this; }
        public Builder embeddedKafkaPort(Integer v) { embeddedKafkaPort = v; return this; }
        public Builder logLevel(String v) { logLevel = v; return this; }
        public Builder clusterMembers(List<String> v) { clusterMembers = v; return this; }
        public Builder clusterPort(Integer v) { clusterPort = v; return this; }
        public Builder instanceId(String v) { instanceId = v; return this; }
        public Builder confluentAddr(String v) { confluentAddr = v; return this; }
        public Builder schemaRegistryAddr(String v) { schemaRegistryAddr = v; return this; }

        public ConfigOverrides build() {
            return new ConfigOverrides(configFile, grpcAddr, tcpAddr, unixAddr, managementAddr, pidFile, kafkaPeers,
                    zookeeperPeers, tls, caCertFile, clientCertFile, clientCertKeyFile, insecureTls, embeddedKafka,
                    embeddedKafkaDir, embeddedKafkaPort, logLevel, clusterMembers, clusterPort, instanceId,
                    confluentAddr, schemaRegistryAddr);
        }
    }

    boolean touchesDefaultCluster() {
        return kafkaPeers != null || tls != null || caCertFile != null || clientCertFile != null
                || clientCertKeyFile != null || insecureTls != null;
    }
}
