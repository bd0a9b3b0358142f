package io.kafkagateway.cli;

import io.kafkagateway.config.ConfigOverrides;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** The gateway's command line: Kafka-Pixy's flags (one or two dashes) and ours. Each given flag overrides the file. */
@Command(name = "kafka-gateway", sortOptions = false, usageHelpAutoWidth = true,
        description = "REST, gRPC and WebSocket gateway to Apache Kafka; a drop-in replacement for Kafka-Pixy.",
        footer = {"", "Kafka flags apply to the default cluster. Every config key is listed in conf/default.yaml."})
public final class CommandLineOptions {

    @Option(names = {"-config", "--config"}, paramLabel = "FILE",
            description = "YAML config file; a Kafka-Pixy default.yaml loads unchanged")
    Path config;

    @Option(names = {"-kafkaPeers", "--kafkaPeers"}, paramLabel = "HOST:PORT", split = ",",
            description = "comma-separated seed brokers of the default cluster")
    List<String> kafkaPeers;

    @Option(names = {"-grpcAddr", "--grpcAddr"}, paramLabel = "ADDR", description = "gRPC listen address (empty disables)")
    String grpcAddr;

    @Option(names = {"-tcpAddr", "--tcpAddr"}, paramLabel = "ADDR", description = "REST listen address")
    String tcpAddr;

    @Option(names = {"-unixAddr", "--unixAddr"}, paramLabel = "PATH", description = "REST unix domain socket")
    String unixAddr;

    @Option(names = {"--management-addr", "-managementAddr"}, paramLabel = "ADDR",
            description = "health, readiness and metrics listen address (empty disables)")
    String managementAddr;

    @Option(names = {"--confluent-addr"}, paramLabel = "ADDR",
            description = "Confluent REST Proxy API listen address (empty disables)")
    String confluentAddr;

    @Option(names = {"--schema-registry-addr"}, paramLabel = "ADDR",
            description = "Schema Registry API listen address (empty disables)")
    String schemaRegistryAddr;

    @Option(names = {"-pidFile", "--pidFile"}, paramLabel = "FILE", description = "write the process id here")
    String pidFile;

    @Option(names = {"-tls", "--tls"}, arity = "0..1", paramLabel = "BOOL", description = "TLS to the default cluster's brokers")
    Boolean tls;

    @Option(names = {"-caCertFile", "--caCertFile"}, paramLabel = "FILE", description = "PEM CA certificate to trust the brokers")
    String caCertFile;

    @Option(names = {"-clientCertFile", "--clientCertFile"}, paramLabel = "FILE", description = "PEM client certificate")
    String clientCertFile;

    @Option(names = {"-clientCertKeyFile", "--clientCertKeyFile"}, paramLabel = "FILE", description = "PEM (PKCS#8) client key")
    String clientCertKeyFile;

    @Option(names = {"-insecureTLS", "--insecureTLS"}, arity = "0..1", paramLabel = "BOOL",
            description = "skip broker host name verification")
    Boolean insecureTls;

    @Option(names = {"-zookeeperPeers", "--zookeeperPeers"}, paramLabel = "HOST:PORT", split = ",",
            description = "accepted for Kafka-Pixy compatibility and ignored")
    List<String> zookeeperPeers;

    @Option(names = {"--embedded-kafka", "-embeddedKafka"}, arity = "0..1", paramLabel = "BOOL",
            description = "start a single-node Kafka inside the gateway and use it as the default cluster")
    Boolean embeddedKafka;

    @Option(names = {"--embedded-kafka-dir"}, paramLabel = "DIR",
            description = "data directory of the embedded Kafka (default kafka-gateway-data/embedded-kafka)")
    String embeddedKafkaDir;

    @Option(names = {"--embedded-kafka-port"}, paramLabel = "PORT",
            description = "client port of the embedded Kafka (default 9092, 0 for any free port)")
    Integer embeddedKafkaPort;

    @Option(names = {"--log-level", "-logLevel"}, paramLabel = "LEVEL", description = "trace, debug, info, warn or error")
    String logLevel;

    @Option(names = {"--cluster-members"}, paramLabel = "HOST:PORT", split = ",",
            description = "clusters this gateway with the others at these addresses (cluster.members; enables cluster)")
    List<String> clusterMembers;

    @Option(names = {"--cluster-port"}, paramLabel = "PORT", description = "event-bus port among the gateways (cluster.port)")
    Integer clusterPort;

    @Option(names = {"--instance-id"}, paramLabel = "NAME", description = "this gateway's stable name (cluster.instance_id)")
    String instanceId;

    @Option(names = {"-help", "--help", "-h"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    public ConfigOverrides toOverrides() {
        return ConfigOverrides.builder().configFile(config).grpcAddr(grpcAddr).tcpAddr(tcpAddr).unixAddr(unixAddr)
                .managementAddr(managementAddr).pidFile(pidFile).kafkaPeers(kafkaPeers).zookeeperPeers(zookeeperPeers)
                .tls(tls).caCertFile(caCertFile).clientCertFile(clientCertFile).clientCertKeyFile(clientCertKeyFile)
                .insecureTls(insecureTls).embeddedKafka(embeddedKafka).embeddedKafkaDir(embeddedKafkaDir)
                .embeddedKafkaPort(embeddedKafkaPort).logLevel(logLevel).clusterMembers(clusterMembers).clusterPort(clusterPort)
                .instanceId(instanceId).confluentAddr(confluentAddr)
                .schemaRegistryAddr(schemaRegistryAddr).build();
    }
}
