package io.kafkagateway.kafka;

import io.kafkagateway.config.ClusterConfig;
import io.kafkagateway.config.ConfigLoader;
import io.kafkagateway.config.ConfigOverrides;
import io.kafkagateway.kafka.partition.FnvHashPartitioner;
import io.kafkagateway.kafka.partition.RandomPartitioner;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RoundRobinPartitioner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaClientPropertiesTest {

    private static ClusterConfig cluster(String yaml) {
        return ConfigLoader.parse("proxies:\n  c:\n" + yaml.indent(4), ConfigOverrides.NONE).config().cluster("c");
    }

    /** Kafka's own parser checks every value's type, so a mapping Kafka would reject fails here, not at start-up. */
    private static ProducerConfig parsed(ClusterConfig cluster) {
        return new ProducerConfig(KafkaClientProperties.producer(cluster));
    }

    @Test
    void mapsPixyProducerDefaults() {
        // When
        ProducerConfig producer = parsed(cluster("{}"));

        // Then
        assertThat(producer.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo("-1");
        assertThat(producer.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isTrue();
        assertThat(producer.getString(ProducerConfig.COMPRESSION_TYPE_CONFIG)).isEqualTo("snappy");
        assertThat(producer.getLong(ProducerConfig.LINGER_MS_CONFIG)).isEqualTo(1L);
        assertThat(producer.getInt(ProducerConfig.BATCH_SIZE_CONFIG)).isEqualTo(256 * 1024);
        assertThat(producer.getInt(ProducerConfig.RETRIES_CONFIG)).isEqualTo(6);
        assertThat(producer.getLong(ProducerConfig.RETRY_BACKOFF_MS_CONFIG)).isEqualTo(100L);
        assertThat(producer.getLong(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG)).isEqualTo(10_000L);
        assertThat(producer.getInt(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG)).isEqualTo(10_000);
        assertThat(producer.getLong(ProducerConfig.MAX_BLOCK_MS_CONFIG)).isZero();
        assertThat(producer.getInt(ProducerConfig.MAX_REQUEST_SIZE_CONFIG)).isEqualTo(1_000_000 + 16 * 1024);
        assertThat(producer.getClass(ProducerConfig.PARTITIONER_CLASS_CONFIG)).isEqualTo(FnvHashPartitioner.class);
    }

    @ParameterizedTest
    @CsvSource({"no_response, 0, false", "wait_for_local, 1, false", "wait_for_all, -1, true"})
    void mapsRequiredAcks(String requiredAcks, String acks, boolean idempotent) {
        ProducerConfig producer = parsed(cluster("producer: {required_acks: " + requiredAcks + "}"));
        assertThat(producer.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo(acks);
        assertThat(producer.getBoolean(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG)).isEqualTo(idempotent);
    }

    @Test
    void mapsPartitioners() {
        assertThat(parsed(cluster("producer: {partitioner: random}")).getClass(ProducerConfig.PARTITIONER_CLASS_CONFIG))
                .isEqualTo(RandomPartitioner.class);
        assertThat(parsed(cluster("producer: {partitioner: roundrobin}")).getClass(ProducerConfig.PARTITIONER_CLASS_CONFIG))
                .isEqualTo(RoundRobinPartitioner.class);
        assertThat(parsed(cluster("producer: {partitioner: murmur2}")).getClass(ProducerConfig.PARTITIONER_CLASS_CONFIG))
                .isNull();
    }

    @Test
    void shortFlushWindowsAreKeptAndPassThroughPropertiesWin() {
        ProducerConfig producer = parsed(cluster("""
                producer:
                  flush_frequency: 0ms
                  compression: zstd
                  properties: {linger.ms: 20, acks: 1}
                """));
        assertThat(producer.getLong(ProducerConfig.LINGER_MS_CONFIG)).isEqualTo(20L);
        assertThat(producer.getString(ProducerConfig.ACKS_CONFIG)).isEqualTo("1");
        assertThat(producer.getString(ProducerConfig.COMPRESSION_TYPE_CONFIG)).isEqualTo("zstd");
    }

    @Test
    void securityComesFromPixyKeys() {
        Map<String, Object> props = KafkaClientProperties.producer(cluster("""
                kafka: {tls: true, insecure: true}
                net: {sasl: {enable: true, user: alice, password: 'p"w'}}
                """));
        assertThat(props).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("ssl.endpoint.identification.algorithm", "");
        assertThat((String) props.get("sasl.jaas.config")).contains("username=\"alice\"", "password=\"p\\\"w\"");
    }

    @Test
    void adminTakesCommonPropertiesOnly() {
        Map<String, Object> admin = KafkaClientProperties.admin(cluster("""
                net: {read_timeout: 7s}
                kafka: {properties: {linger.ms: 5, metadata.max.age.ms: 1000}}
                """));
        new AdminClientConfig(admin);
        assertThat(admin).containsEntry("request.timeout.ms", "7000")
                .containsEntry("metadata.max.age.ms", "1000")
                .doesNotContainKey("linger.ms");
    }

    @Test
    void deliveryTimeoutCoversTheProducersOwnBounds() {
        assertThat(KafkaClientProperties.producerDeliveryTimeout(cluster("{}")))
                .isEqualTo(Duration.ofMinutes(2).plusSeconds(10));
    }

    @Test
    void groupMembersAreStaticAndAssignedCooperatively() {
        // When
        org.apache.kafka.clients.consumer.ConsumerConfig consumer = new org.apache.kafka.clients.consumer.ConsumerConfig(
                KafkaClientProperties.consumer(cluster("{}"), "g", "host-19092-c"));

        // Then
        assertThat(consumer.getString(org.apache.kafka.clients.consumer.ConsumerConfig.GROUP_INSTANCE_ID_CONFIG)).isEqualTo("host-19092-c");
        assertThat(consumer.getList(org.apache.kafka.clients.consumer.ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG))
                .containsExactly(org.apache.kafka.clients.consumer.CooperativeStickyAssignor.class.getName());
        assertThat(consumer.getInt(org.apache.kafka.clients.consumer.ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG))
                .as("a dead gateway's partitions move within about 10 s").isEqualTo(10_000);
        assertThat(consumer.getInt(org.apache.kafka.clients.consumer.ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG)).isEqualTo(3_333);
    }

    @Test
    void withTheConsumerGroupProtocolTheBrokersAssign() {
        Map<String, Object> props = KafkaClientProperties.consumer(cluster("consumer: {properties: {group.protocol: consumer}}"),
                "g", "host-19092-c");
        assertThat(props).doesNotContainKey(org.apache.kafka.clients.consumer.ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG);
        new org.apache.kafka.clients.consumer.ConsumerConfig(props);
    }
}
