package io.kafkagateway.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigLoaderTest {

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(ConfigLoaderTest.class.getResource("/config/" + name).toURI());
    }

    @Test
    void loadsPixyDefaultYamlUnchanged() throws Exception {
        // When
        LoadedConfig loaded = ConfigLoader.load(ConfigOverrides.configFile(resource("pixy-default.yaml")));

        // Then
        GatewayConfig config = loaded.config();
        assertThat(config.grpcAddr()).isEqualTo("0.0.0.0:19091");
        assertThat(config.tcpAddr()).isEqualTo("0.0.0.0:19092");
        assertThat(config.defaultCluster()).isEqualTo("default");
        ClusterConfig cluster = config.defaultClusterConfig();
        assertThat(cluster.kafka().seedPeers()).containsExactly("localhost:9092");
        assertThat(cluster.producer().flushFrequency()).isEqualTo(Duration.ofMillis(500));
        assertThat(cluster.producer().requiredAcks()).isEqualTo(RequiredAcks.WAIT_FOR_ALL);
        assertThat(cluster.producer().partitioner()).isEqualTo(PartitionerKind.HASH);
        assertThat(cluster.consumer().ackTimeout()).isEqualTo(Duration.ofMinutes(5));
        assertThat(cluster.consumer().maxRetries()).isEqualTo(-1);
        assertThat(loaded.warnings()).singleElement().asString()
                .contains("proxies.default.kafka.version", "proxies.default.zoo_keeper");
    }

    @Test
    void loadsOlderPixyKeysAndLoggingSection() throws Exception {
        // When
        LoadedConfig loaded = ConfigLoader.load(ConfigOverrides.configFile(resource("pixy-legacy.yaml")));

        // Then
        ClusterConfig cluster = loaded.config().defaultClusterConfig();
        assertThat(cluster.consumer().subscriptionTimeout()).isEqualTo(Duration.ofSeconds(20));
        assertThat(cluster.consumer().ackTimeout()).isEqualTo(Duration.ofSeconds(15));
        assertThat(loaded.config().logLevel()).isEqualTo("warn");
        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w).contains("rebalance_delay"));
        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w).contains("registration_timeout"));
        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w).contains("syslog"));
    }

    @Test
    void noFileMeansOneDefaultClusterWithPixyDefaults() {
        // When
        GatewayConfig config = ConfigLoader.load(ConfigOverrides.NONE).config();

        // Then
        assertThat(config.proxies()).containsOnlyKeys("default");
        ProducerSettings producer = config.defaultClusterConfig().producer();
        assertThat(producer.channelBufferSize()).isEqualTo(4096);
        assertThat(producer.maxMessageBytes()).isEqualTo(1_000_000);
        assertThat(producer.compression()).isEqualTo(Compression.SNAPPY);
        assertThat(producer.retryBackoff()).isEqualTo(Duration.ofSeconds(10));
        assertThat(producer.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        ConsumerSettings consumer = config.defaultClusterConfig().consumer();
        assertThat(consumer.longPollingTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(consumer.maxPendingMessages()).isEqualTo(300);
        assertThat(consumer.initialOffset()).isEqualTo(InitialOffset.LATEST);
        assertThat(config.defaultClusterConfig().clientId()).startsWith("kafka-gateway_");
    }

    @Test
    void documentedDefaultsAreTheBuiltInDefaults() {
        // When
        LoadedConfig documented = ConfigLoader.load(ConfigOverrides.configFile(Path.of("conf/default.yaml")));

        // Then
        assertThat(documented.config()).isEqualTo(ConfigLoader.load(ConfigOverrides.NONE).config());
        assertThat(documented.warnings()).isEmpty();
    }

    @Test
    void partialFileKeepsDefaultsForWhatItDoesNotSay() {
        // When
        GatewayConfig config = ConfigLoader.parse("""
                proxies:
                  a:
                    producer:
                      required_acks: wait_for_local
                  b:
                    kafka:
                      seed_peers: [b1:9092, b2:9092]
                default_cluster: b
                """, ConfigOverrides.NONE).config();

        // Then
        assertThat(config.proxies().keySet()).containsExactly("a", "b");
        assertThat(config.defaultCluster()).isEqualTo("b");
        assertThat(config.cluster("a").producer().requiredAcks()).isEqualTo(RequiredAcks.WAIT_FOR_LOCAL);
        assertThat(config.cluster("a").producer().timeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.cluster("a").kafka().seedPeers()).containsExactly("localhost:9092");
        assertThat(config.cluster("b").kafka().bootstrapServers()).isEqualTo("b1:9092,b2:9092");
    }

    @Test
    void firstClusterIsTheDefault() {
        GatewayConfig config = ConfigLoader.parse("proxies: {z: {}, a: {}}", ConfigOverrides.NONE).config();
        assertThat(config.defaultCluster()).isEqualTo("z");
    }

    @Test
    void flagsOverrideTheFileForTheDefaultCluster() throws Exception {
        // Given
        ConfigOverrides flags = ConfigOverrides.builder().configFile(resource("pixy-default.yaml")).grpcAddr("")
                .tcpAddr("127.0.0.1:29092").pidFile("/tmp/pid").kafkaPeers(List.of("k1:9092", "k2:9093"))
                .zookeeperPeers(List.of("zk:2181")).tls(true).insecureTls(true).build();

        // When
        LoadedConfig loaded = ConfigLoader.load(flags);

        // Then
        GatewayConfig config = loaded.config();
        assertThat(config.grpcAddr()).isEmpty();
        assertThat(config.tcpAddr()).isEqualTo("127.0.0.1:29092");
        assertThat(config.pidFile()).isEqualTo("/tmp/pid");
        assertThat(config.defaultClusterConfig().kafka().seedPeers()).containsExactly("k1:9092", "k2:9093");
        assertThat(config.defaultClusterConfig().kafka().tls()).isTrue();
        assertThat(config.defaultClusterConfig().kafka().insecure()).isTrue();
        assertThat(loaded.warnings()).anySatisfy(w -> assertThat(w).contains("zookeeperPeers"));
    }

    @Test
    void kafkaFlagsWithoutAnyClusterCreateTheDefaultOne() {
        ConfigOverrides flags = ConfigOverrides.builder().kafkaPeers(List.of("k1:9092")).build();
        GatewayConfig config = ConfigLoader.load(flags).config();
        assertThat(config.cluster("default").kafka().seedPeers()).containsExactly("k1:9092");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown top-level key      | 'tcp_adr: 1.2.3.4:5\nproxies: {a: {}}'              | tcp_adr: unknown key; allowed here:
            unknown nested key         | proxies: {d: {producer: {retry_maks: 3}}}             | proxies.d.producer.retry_maks: unknown key; allowed here: channel_buffer_size
            wrong type                 | proxies: {d: {producer: {retry_max: lots}}}           | proxies.d.producer.retry_max: expected a whole number, got 'lots'
            fraction for integer       | proxies: {d: {producer: {retry_max: 1.5}}}            | proxies.d.producer.retry_max: expected a whole number
            bad duration               | proxies: {d: {consumer: {ack_timeout: 5 minutes}}}    | proxies.d.consumer.ack_timeout: '5 minutes' is not a duration
            duration without unit      | proxies: {d: {consumer: {ack_timeout: 300}}}          | proxies.d.consumer.ack_timeout: '300' is not a duration; write it with a unit
            negative duration          | proxies: {d: {consumer: {ack_timeout: -1s}}}          | proxies.d.consumer.ack_timeout: must be longer than 0, got -1s
            out of range               | proxies: {d: {consumer: {max_retries: -2}}}           | proxies.d.consumer.max_retries: must be at least -1, got -2
            bad enum                   | proxies: {d: {producer: {required_acks: all}}}        | proxies.d.producer.required_acks: 'all' is not allowed; use one of no_response, wait_for_local, wait_for_all
            bad partitioner            | proxies: {d: {producer: {partitioner: sticky}}}       | proxies.d.producer.partitioner: 'sticky' is not allowed; use one of hash, fnv1a, murmur2, random, roundrobin
            bad seed peer              | proxies: {d: {kafka: {seed_peers: [localhost]}}}      | proxies.d.kafka.seed_peers[0]: 'localhost' is not host:port
            empty seed peers           | proxies: {d: {kafka: {seed_peers: []}}}               | proxies.d.kafka.seed_peers: needs at least one broker address
            no cluster                 | 'proxies: {}'                                         | proxies: at least one cluster must be configured
            no proxies key             | 'tcp_addr: 0.0.0.0:1'                                 | proxies: at least one cluster must be configured
            unknown default cluster    | 'proxies: {a: {}}\ndefault_cluster: b'                | default_cluster: 'b' is not one of the clusters under proxies: [a]
            bad listen address         | 'grpc_addr: nowhere\nproxies: {a: {}}'                | grpc_addr: 'nowhere' is not host:port
            unknown client property    | proxies: {d: {producer: {properties: {linger.mss: 1}}}}   | proxies.d.producer.properties.linger.mss: is not a property of the Kafka producer client
            reserved client property   | proxies: {d: {kafka: {properties: {bootstrap.servers: x}}}} | proxies.d.kafka.properties.bootstrap.servers: cannot be set here: use kafka.seed_peers
            sasl without user          | proxies: {d: {net: {sasl: {enable: true}}}}           | proxies.d.net.sasl.user: is required when net.sasl.enable is true
            missing tls file           | proxies: {d: {kafka: {ca_certificate_file: /nope.pem}}} | proxies.d.kafka.ca_certificate_file: file '/nope.pem' does not exist
            bad cluster name           | 'proxies: {\"a b\": {}}'                              | proxies.a b: cluster names may use only letters
            list at top                | '[1, 2]'                                              | must be a mapping of keys
            bad log level              | 'log_level: loud\nproxies: {a: {}}'                   | log_level: 'loud' is not allowed
            same path for two dialects | 'websocket: {apisix: {path: /ws}}\nproxies: {a: {}}'   | websocket.apisix.path: '/ws' is already the path of another dialect
            path taken by REST         | 'websocket: {native: {path: /topics/ws}}\nproxies: {a: {}}' | websocket.native.path: '/topics/ws' is taken by the REST API
            path without slash         | 'websocket: {native: {path: ws}}\nproxies: {a: {}}'    | websocket.native.path: must be a path starting with '/'
            unknown kafka-proxy cluster | 'websocket: {kafka_proxy: {cluster: b}}\nproxies: {a: {}}' | websocket.kafka_proxy.cluster: 'b' is not one of the clusters
            fetch wait above timeout   | 'websocket: {apisix: {fetch_wait: 5s, timeout: 2s}}\nproxies: {a: {}}' | websocket.apisix.fetch_wait: must be shorter than timeout (2s), got 5s
            zero connections           | 'websocket: {max_connections: 0}\nproxies: {a: {}}'    | websocket.max_connections: must be at least 1
            bad websocket address      | 'websocket: {addr: nowhere}\nproxies: {a: {}}'         | websocket.addr: 'nowhere' is not host:port
            no event loops             | 'event_loops: 0\nproxies: {a: {}}'                     | event_loops: must be at least 1, got 0
            too many event loops       | 'event_loops: 5000\nproxies: {a: {}}'                  | event_loops: at most 1024, got 5000
            bad confluent size         | 'confluent: {consumer: {max_bytes: lots}}\nproxies: {a: {}}' | confluent.consumer.max_bytes: 'lots' is not a size
            unknown confluent cluster  | 'confluent: {cluster: b}\nproxies: {a: {}}'             | confluent.cluster: 'b' is not one of the clusters
            bad advertised url         | 'confluent: {advertised_url: "ftp://x"}\nproxies: {a: {}}' | confluent.advertised_url: 'ftp://x' must be an absolute http
            """)
    void badConfigNamesTheKeyAndWhatIsAllowed(String name, String yaml, String expected) {
        assertThatThrownBy(() -> ConfigLoader.parse(yaml.replace("\\n", "\n"), ConfigOverrides.NONE))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void duplicateKeysAreRejectedWithTheirLine() {
        assertThatThrownBy(() -> ConfigLoader.parse("""
                proxies:
                  a:
                    producer:
                      retry_max: 3
                      retry_max: 4
                """, ConfigOverrides.NONE))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("line 5")
                .hasMessageContaining("duplicate key 'retry_max'");
    }

    @Test
    void yamlSyntaxErrorsNameTheLine() {
        assertThatThrownBy(() -> ConfigLoader.parse("proxies:\n  a: [unclosed\n", ConfigOverrides.NONE))
                .isInstanceOf(IllegalConfigurationException.class)
                .hasMessageContaining("line");
    }

    @Test
    void missingFileIsNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(ConfigOverrides.configFile(Path.of("/no/such/gateway.yaml"))))
                .hasMessage("config file '/no/such/gateway.yaml' does not exist");
    }

    @Test
    void secretsStayOutOfToString(@TempDir Path dir) throws IOException {
        // Given
        Path file = dir.resolve("c.yaml");
        Files.writeString(file, """
                proxies:
                  d:
                    net: {sasl: {enable: true, user: u, password: hunter2}}
                    kafka: {properties: {ssl.keystore.password: s3cret, sasl.jaas.config: "x password=y"}}
                """);

        // When
        String printed = ConfigLoader.load(ConfigOverrides.configFile(file)).config().toString();

        // Then
        assertThat(printed).doesNotContain("hunter2", "s3cret", "password=y").contains("[redacted]");
    }
}
