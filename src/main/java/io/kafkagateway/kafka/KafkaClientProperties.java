package io.kafkagateway.kafka;

import io.kafkagateway.config.ClientKind;
import io.kafkagateway.config.ClusterConfig;
import io.kafkagateway.config.ConsumerSettings;
import io.kafkagateway.config.IllegalConfigurationException;
import io.kafkagateway.config.KafkaSettings;
import io.kafkagateway.config.PartitionerKind;
import io.kafkagateway.config.ProducerSettings;
import io.kafkagateway.config.SaslSettings;
import io.kafkagateway.kafka.partition.FnvHashPartitioner;
import io.kafkagateway.kafka.partition.RandomPartitioner;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RoundRobinPartitioner;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Turns a cluster's config into Java Kafka client properties, every value as a string (Kafka parses strings for every
 * config type). Pixy's keys are mapped first; pass-through properties
 * ({@code kafka.properties}, then {@code producer.properties}) are applied last and win.
 */
public final class KafkaClientProperties {

    /**
     * Pixy's 500 ms flush window would put a 500 ms floor under every sync produce; linger is capped at this.
     * Measured on 2 cores, one client: 2.4 ms p50 at 0 ms, 3.8 ms at 1 ms, 9 ms at 5 ms; with 64 clients 1 ms gave
     * the best throughput (12.7k/s against 10k/s at 0 ms).
     */
    static final Duration MAX_LINGER = Duration.ofMillis(1);
    /** Per-partition batches are allocated whole; Pixy's 1 MiB would exhaust the producer buffer at 32 partitions. */
    static final int MAX_BATCH_BYTES = 256 * 1024;
    /** Room for key, headers and record framing above {@code max_message_bytes}. */
    static final int RECORD_OVERHEAD_BYTES = 16 * 1024;
    static final Duration DEFAULT_DELIVERY_TIMEOUT = Duration.ofMinutes(2);
    static final Duration INITIAL_RETRY_BACKOFF = Duration.ofMillis(100);
    /** The Java producer's default {@code buffer.memory}. */
    static final long KAFKA_DEFAULT_BUFFER_MEMORY = 32L * 1024 * 1024;

    private KafkaClientProperties() {
    }

    public static Map<String, Object> admin(ClusterConfig cluster) {
        Map<String, Object> props = common(cluster);
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, cluster.clientId() + "-admin");
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(cluster.net().readTimeout()));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis(cluster.net().readTimeout()));
        props.putAll(cluster.kafka().properties().forClient(ClientKind.ADMIN));
        return props;
    }

    public static Map<String, Object> producer(ClusterConfig cluster) {
        ProducerSettings p = cluster.producer();
        Map<String, Object> props = common(cluster);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, cluster.clientId());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, p.requiredAcks().kafkaAcks());
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, p.compression().kafkaName());
        long linger = Math.min(p.flushFrequency().toMillis(), MAX_LINGER.toMillis());
        props.put(ProducerConfig.LINGER_MS_CONFIG, Long.toString(linger));
        if (p.flushBytes() > 0) {
            props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(Math.min(p.flushBytes(), MAX_BATCH_BYTES)));
        }
        props.put(ProducerConfig.RETRIES_CONFIG, Integer.toString(p.retryMax()));
        // Pixy's retry_backoff is the longest wait between retries. The Java producer also backs off metadata
        // refreshes by retry.backoff.ms, so a 10 s initial step would stall the first send to a new topic for 10 s;
        // keep Kafka's short first step and let the exponential backoff grow to retry_backoff.
        props.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, Long.toString(Math.min(INITIAL_RETRY_BACKOFF.toMillis(), p.retryBackoff().toMillis())));
        props.put(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG, millis(p.retryBackoff()));
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(p.timeout()));
        // Never block the sending thread: ProducerSender waits for metadata itself, bounded by producer.timeout.
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "0");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(deliveryTimeoutMillis(p)));
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Long.toString((long) p.maxMessageBytes() + RECORD_OVERHEAD_BYTES));
        partitionerClass(p.partitioner()).ifPresent(c -> props.put(ProducerConfig.PARTITIONER_CLASS_CONFIG, c));
        props.putAll(cluster.kafka().properties().forClient(ClientKind.PRODUCER));
        props.putAll(p.properties().forClient(ClientKind.PRODUCER));
        // Kafka refuses an idempotent producer without acks=all and retries; follow the effective settings unless
        // told otherwise.
        String acks = String.valueOf(props.get(ProducerConfig.ACKS_CONFIG)).trim();
        boolean retries = !String.valueOf(props.get(ProducerConfig.RETRIES_CONFIG)).trim().equals("0");
        props.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                Boolean.toString((acks.equals("all") || acks.equals("-1")) && retries));
        return props;
    }

    /**
     * How long the group coordinator waits for a silent member before moving its partitions (Kafka's default is 45 s);
     * brokers accept 6 s to 30 min unless configured otherwise.
     */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);

    /**
     * The Kafka consumer of one group member: the gateway commits itself and picks the start of new groups itself.
     * Rebalances are kept rare and cheap: a static member ({@code groupInstanceId}, so a member back within the session
     * timeout gets its partitions again without a rebalance) with the cooperative sticky assignor (a rebalance moves
     * only the partitions that change owner, the others keep being consumed). With {@code group.protocol: consumer}
     * (KIP-848) the brokers assign, and no assignor is set.
     */
    public static Map<String, Object> consumer(ClusterConfig cluster, String group, String groupInstanceId) {
        return consumer(cluster, group, groupInstanceId, cluster.clientId());
    }

    /** As above, with the client id {@code clientId} (clustered gateways add their instance id to tell them apart). */
    public static Map<String, Object> consumer(ClusterConfig cluster, String group, String groupInstanceId, String clientId) {
        Map<String, Object> props = consumerBase(cluster, clientId, "earliest");
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.putIfAbsent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, groupInstanceId);
        props.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(cluster.consumer().fetchMaxBytes()));
        boolean brokerAssigns = "consumer".equalsIgnoreCase(String.valueOf(props.get(ConsumerConfig.GROUP_PROTOCOL_CONFIG)).trim());
        if (!brokerAssigns) {
            props.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
            // A gateway that died (kill -9) hands its partitions over within about ten seconds, not Kafka's 45.
            props.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(SESSION_TIMEOUT.toMillis()));
            props.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(SESSION_TIMEOUT.toMillis() / 3));
        }
        return props;
    }

    /**
     * The Kafka consumer of a partition reader (the client-positioned WebSocket dialects): no group (positions are
     * the client's, or committed through the admin client), never resets an offset on its own, and fetches at most
     * {@code maxBytes} per partition so that a reader holds little beyond the batch it serves.
     */
    public static Map<String, Object> reader(ClusterConfig cluster, int maxBytes) {
        Map<String, Object> props = consumerBase(cluster, cluster.clientId() + "-reader", "none");
        props.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(maxBytes));
        props.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(maxBytes));
        // A reader polls without waiting, so each poll takes only what the socket holds by then: with Kafka's 64 KiB
        // receive buffer a 500 kB fetch would need several polls and waits. The OS default grows the buffer as needed.
        props.put(ConsumerConfig.RECEIVE_BUFFER_CONFIG, "-1");
        // A poll hands over everything fetched, so one read is one poll; the fetch size bounds the bytes.
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Integer.toString(Math.max(500, maxBytes / 16)));
        return props;
    }

    /**
     * What every consumer of the cluster shares: byte-array records, no auto-commit or topic creation, the cluster's
     * timeouts, then the user's consumer properties. {@code offsetReset} applies when a position does not exist: a
     * group member's committed offset that retention removed starts at the earliest (losing nothing beats skipping
     * to the end); a reader's never resets ("none").
     */
    private static Map<String, Object> consumerBase(ClusterConfig cluster, String clientId, String offsetReset) {
        ConsumerSettings c = cluster.consumer();
        Map<String, Object> props = common(cluster);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset);
        props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false");
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, millis(c.fetchMaxWait()));
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, millis(cluster.net().readTimeout()));
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis(cluster.net().readTimeout()));
        props.put(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG, millis(c.retryBackoff()));
        props.putAll(cluster.kafka().properties().forClient(ClientKind.CONSUMER));
        props.putAll(c.properties().forClient(ClientKind.CONSUMER));
        return props;
    }

    /**
     * How long a sync produce may wait: for the topic's metadata ({@code producer.timeout}), then for Kafka's
     * acknowledgement (the producer's delivery timeout).
     */
    public static Duration producerDeliveryTimeout(ClusterConfig cluster) {
        return Duration.ofMillis(producerLong(cluster, ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, deliveryTimeoutMillis(cluster.producer())))
                .plus(cluster.producer().timeout());
    }

    /** Bytes of records the producer may buffer ({@code buffer.memory}); the gateway admits no more than this. */
    public static long producerBufferBytes(ClusterConfig cluster) {
        return producerLong(cluster, ProducerConfig.BUFFER_MEMORY_CONFIG, KAFKA_DEFAULT_BUFFER_MEMORY);
    }

    /**
     * Checks the cluster's client settings with Kafka's own config parsers, so that a value Kafka would refuse stops
     * start-up with the key named instead of failing inside a running gateway.
     */
    public static void validate(String name, ClusterConfig cluster) {
        try {
            new AdminClientConfig(admin(cluster));
        } catch (ConfigException e) {
            throw new IllegalConfigurationException("proxies." + name + ".kafka",
                    "Kafka's admin client refuses these settings: " + e.getMessage());
        }
        try {
            new ProducerConfig(producer(cluster));
        } catch (ConfigException e) {
            throw new IllegalConfigurationException("proxies." + name + ".producer",
                    "Kafka's producer refuses these settings: " + e.getMessage());
        }
        try {
            new ConsumerConfig(consumer(cluster, "validation", "validation"));
        } catch (ConfigException e) {
            throw new IllegalConfigurationException("proxies." + name + ".consumer",
                    "Kafka's consumer refuses these settings: " + e.getMessage());
        }
    }

    private static long producerLong(ClusterConfig cluster, String property, long fallback) {
        String value = cluster.producer().properties().values().get(property);
        if (value == null) {
            value = cluster.kafka().properties().values().get(property);
        }
        try {
            return value == null ? fallback : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static long deliveryTimeoutMillis(ProducerSettings p) {
        long linger = Math.min(p.flushFrequency().toMillis(), MAX_LINGER.toMillis());
        return Math.max(DEFAULT_DELIVERY_TIMEOUT.toMillis(), linger + p.timeout().toMillis());
    }

    private static java.util.Optional<String> partitionerClass(PartitionerKind kind) {
        return java.util.Optional.ofNullable(switch (kind) {
            case HASH -> FnvHashPartitioner.class.getName();
            case RANDOM -> RandomPartitioner.class.getName();
            case ROUNDROBIN -> RoundRobinPartitioner.class.getName();
            case MURMUR2 -> null; // the Java client's built-in partitioner
        });
    }

    private static Map<String, Object> common(ClusterConfig cluster) {
        KafkaSettings kafka = cluster.kafka();
        SaslSettings sasl = cluster.net().sasl();
        Map<String, Object> props = new HashMap<>();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MS_CONFIG, millis(cluster.net().dialTimeout()));
        props.put(CommonClientConfigs.SOCKET_CONNECTION_SETUP_TIMEOUT_MAX_MS_CONFIG,
                Long.toString(Math.max(cluster.net().dialTimeout().toMillis(), 30_000L)));
        if (kafka.tls() || sasl.enable()) {
            props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
                    kafka.tls() ? (sasl.enable() ? "SASL_SSL" : "SSL") : "SASL_PLAINTEXT");
        }
        if (kafka.tls()) {
            tls(kafka, props);
        }
        if (sasl.enable()) {
            props.put(SaslConfigs.SASL_MECHANISM, "PLAIN");
            props.put(SaslConfigs.SASL_JAAS_CONFIG, "org.apache.kafka.common.security.plain.PlainLoginModule required"
                    + " username=\"" + jaasEscape(sasl.user()) + "\" password=\"" + jaasEscape(sasl.password()) + "\";");
        }
        return props;
    }

    private static void tls(KafkaSettings kafka, Map<String, Object> props) {
        if (kafka.caCertificateFile() != null) {
            props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            props.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, kafka.caCertificateFile());
        }
        if (kafka.clientCertificateFile() != null) {
            props.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
            props.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, readPem(kafka.clientCertificateFile()));
            props.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, readPem(kafka.clientKeyFile()));
        }
        if (kafka.insecure()) {
            props.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "");
        }
    }

    private static String readPem(String file) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String jaasEscape(String value) {
        return value == null ? "" : value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String millis(Duration d) {
        return Long.toString(d.toMillis());
    }
}
