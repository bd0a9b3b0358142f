package io.kafkagateway.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The whole gateway configuration: Kafka-Pixy's keys plus ours. {@code proxies} is ordered; its first entry is the
 * default cluster unless {@code default_cluster} names another. An empty {@code grpc_addr} or
 * {@code management_addr} disables that listener. {@code grpc_max_credits} caps the credits one gRPC consume stream
 * may hold (messages sent and not yet matched by new credits). {@code event_loops} is the number of event-loop
 * threads (Vert.x's default, twice the cores, unless set; one per core or fewer suits several gateways on one host).
 */
public record GatewayConfig(
        String grpcAddr,
        String tcpAddr,
        String unixAddr,
        String managementAddr,
        ServerTlsSettings tls,
        String defaultCluster,
        Map<String, ClusterConfig> proxies,
        String logLevel,
        EmbeddedKafkaSettings embeddedKafka,
        String pidFile,
        Long maxRequestBytesInFlight,
        Duration shutdownDrain,
        Integer grpcMaxRequestBytes,
        Integer grpcMaxCredits,
        WebSocketSettings websocket,
        ClusteringSettings cluster,
        ConnectionSettings connections,
        Integer eventLoops,
        ConfluentSettings confluent,
        SchemaRegistrySettings schemaRegistry) {

    private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z0-9._-]{1,249}");
    private static final Set<String> LOG_LEVELS = Set.of("trace", "debug", "info", "warn", "error");

    public GatewayConfig {
        grpcAddr = Check.address("grpc_addr", grpcAddr, "0.0.0.0:19091", true);
        tcpAddr = Check.address("tcp_addr", tcpAddr, "0.0.0.0:19092", false);
        unixAddr = unixAddr == null || unixAddr.isBlank() ? null : unixAddr;
        managementAddr = Check.address("management_addr", managementAddr, "0.0.0.0:19093", true);
        tls = Check.orDefault(tls, ServerTlsSettings.NONE);
        if (proxies == null || proxies.isEmpty()) {
            throw new IllegalConfigurationException("proxies", "at least one cluster must be configured,"
                    + " e.g. proxies: {default: {kafka: {seed_peers: [localhost:9092]}}}");
        }
        Map<String, ClusterConfig> clusters = new LinkedHashMap<>();
        proxies.forEach((name, clusterConfig) -> {
            if (!CLUSTER_NAME.matcher(name).matches()) {
                throw new IllegalConfigurationException("proxies." + name,
                        "cluster names may use only letters, digits, '.', '_' and '-'");
            }
            clusters.put(name, clusterConfig == null ? ClusterConfig.DEFAULTS : clusterConfig);
        });
        proxies = Collections.unmodifiableMap(clusters);
        if (defaultCluster == null || defaultCluster.isBlank()) {
            defaultCluster = clusters.keySet().iterator().next();
        } else if (!clusters.containsKey(defaultCluster)) {
            throw new IllegalConfigurationException("default_cluster",
                    "'" + defaultCluster + "' is not one of the clusters under proxies: " + clusters.keySet());
        }
        logLevel = logLevel == null ? "info" : logLevel.toLowerCase(Locale.ROOT);
        if (!LOG_LEVELS.contains(logLevel)) {
            throw new IllegalConfigurationException("log_level", "'" + logLevel + "' is not allowed; use one of trace, debug, info, warn, error");
        }
        embeddedKafka = Check.orDefault(embeddedKafka, EmbeddedKafkaSettings.DEFAULTS);
        pidFile = pidFile == null || pidFile.isBlank() ? null : pidFile;
        maxRequestBytesInFlight = maxRequestBytesInFlight == null ? 256L * 1024 * 1024 : maxRequestBytesInFlight;
        if (maxRequestBytesInFlight < 1024 * 1024) {
            throw new IllegalConfigurationException("max_request_bytes_in_flight", "must be at least 1048576, got " + maxRequestBytesInFlight);
        }
        shutdownDrain = Check.notNegative("shutdown_drain", shutdownDrain, Duration.ofSeconds(1));
        grpcMaxRequestBytes = Check.atLeast("grpc_max_request_bytes", grpcMaxRequestBytes, 1024, 1024 * 1024);
        grpcMaxCredits = Check.atLeast("grpc_max_credits", grpcMaxCredits, 1, 10_000);
        cluster = Check.orDefault(cluster, ClusteringSettings.DEFAULTS);
        connections = Check.orDefault(connections, ConnectionSettings.DEFAULTS);
        eventLoops = Check.atLeast("event_loops", eventLoops, 1, 2 * Runtime.getRuntime().availableProcessors());
        if (eventLoops > 1024) {
            throw new IllegalConfigurationException("event_loops", "at most 1024, got " + eventLoops);
        }
        websocket = Check.orDefault(websocket, WebSocketSettings.DEFAULTS);
        confluent = Check.orDefault(confluent, ConfluentSettings.DEFAULTS);
        if (confluent.cluster() != null && !clusters.containsKey(confluent.cluster())) {
            throw new IllegalConfigurationException("confluent.cluster",
                    "'" + confluent.cluster() + "' is not one of the clusters under proxies: " + clusters.keySet());
        }
        schemaRegistry = Check.orDefault(schemaRegistry, SchemaRegistrySettings.DEFAULTS);
        if (schemaRegistry.cluster() != null && !clusters.containsKey(schemaRegistry.cluster())) {
            throw new IllegalConfigurationException("schema_registry.cluster",
                    "'" + schemaRegistry.cluster() + "' is not one of the clusters under proxies: " + clusters.keySet());
        }
        String kafkaProxyCluster = websocket.kafkaProxy().cluster();
        if (kafkaProxyCluster != null && !clusters.containsKey(kafkaProxyCluster)) {
            throw new IllegalConfigurationException("websocket.kafka_proxy.cluster",
                    "'" + kafkaProxyCluster + "' is not one of the clusters under proxies: " + clusters.keySet());
        }
    }

    public ClusterConfig cluster(String name) {
        return proxies.get(name);
    }

    /** The cluster the Confluent API serves: {@code confluent.cluster}, else the default one. */
    public String confluentCluster() {
        return confluent.cluster() != null ? confluent.cluster() : defaultCluster;
    }

    /** The cluster whose topic holds the registry's schemas: {@code schema_registry.cluster}, else the default one. */
    public String schemaRegistryCluster() {
        return schemaRegistry.cluster() != null ? schemaRegistry.cluster() : defaultCluster;
    }

    public ClusterConfig defaultClusterConfig() {
        return proxies.get(defaultCluster);
    }

    /** The same configuration with the default cluster pointed at {@code seedPeers} (used by the embedded broker). */
    public GatewayConfig withDefaultClusterSeedPeers(List<String> seedPeers) {
        Map<String, ClusterConfig> clusters = new LinkedHashMap<>(proxies);
        clusters.put(defaultCluster, defaultClusterConfig().withSeedPeers(seedPeers));
        return new GatewayConfig(grpcAddr, tcpAddr, unixAddr, managementAddr, tls, defaultCluster, clusters,
                logLevel, embeddedKafka, pidFile, maxRequestBytesInFlight, shutdownDrain, grpcMaxRequestBytes, grpcMaxCredits,
                websocket, cluster, connections, eventLoops, confluent, schemaRegistry);
    }
}
