package io.kafkagateway.confluent;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkagateway.testing.ConfluentClient;
import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.Response;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Confluent's quick-start (binary and json, v1 content types) and a v2 client loop, against a real broker: the
 * documented answers come back, and an ordinary Kafka client sees what was produced and committed.
 */
@ExtendWith(KafkaClusterExtension.class)
class ConfluentQuickStartIT {

    static KafkaCluster cluster;
    static KafkaProbe kafka;
    static GatewayTester gateway;
    static ConfluentClient confluent;

    @BeforeAll
    static void start() {
        kafka = new KafkaProbe(cluster.getBootstrapServers());
        gateway = GatewayTester.withConfluent("""
                proxies:
                  default:
                    kafka: {seed_peers: [%s]}
                """.formatted(cluster.getBootstrapServers()));
        confluent = new ConfluentClient(gateway.confluentUrl());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        kafka.close();
    }

    @Test
    void binaryQuickStart() {
        // Given
        String topic = kafka.newTopic(1);
        String group = "my_binary_consumer_" + UUID.randomUUID();

        // When
        Response produced = confluent.post("/topics/" + topic, "application/vnd.kafka.binary.v1+json",
                "{\"records\":[{\"value\":\"S2Fma2E=\"}]}");
        Response created = confluent.post("/consumers/" + group, "application/vnd.kafka.v1+json",
                "{\"name\": \"my_consumer_instance\", \"format\": \"binary\", \"auto.offset.reset\": \"smallest\"}");
        Response read = confluent.get("/consumers/" + group + "/instances/my_consumer_instance/topics/" + topic,
                "application/vnd.kafka.binary.v1+json");
        Response deleted = confluent.delete("/consumers/" + group + "/instances/my_consumer_instance");

        // Then
        assertThat(produced.status()).isEqualTo(200);
        assertThat(produced.body()).isEqualTo("{\"offsets\":[{\"partition\":0,\"offset\":0,\"error_code\":null,"
                + "\"error\":null}],\"key_schema_id\":null,\"value_schema_id\":null}");
        assertThat(produced.header("Content-Type")).isEqualTo("application/vnd.kafka.v1+json");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        assertThat(created.json().path("instance_id").asText()).isEqualTo("my_consumer_instance");
        assertThat(created.json().path("base_uri").asText())
                .isEqualTo(gateway.confluentUrl() + "/consumers/" + group + "/instances/my_consumer_instance");
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.header("Content-Type")).isEqualTo("application/vnd.kafka.binary.v1+json");
        JsonNode record = read.json().get(0);
        assertThat(read.json()).hasSize(1);
        assertThat(record.path("key").isNull()).isTrue();
        assertThat(record.path("value").asText()).isEqualTo("S2Fma2E=");
        assertThat(record.path("partition").asInt()).isZero();
        assertThat(record.path("offset").asLong()).isZero();
        assertThat(record.has("timestamp")).isTrue();
        assertThat(record.path("headers").isArray()).isTrue();
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(confluent.get("/consumers/" + group + "/instances/my_consumer_instance/records", null).json()
                .path("error_code").asInt()).isEqualTo(40403);
        assertThat(new String(kafka.records(topic, 1).get(0).value(), StandardCharsets.UTF_8)).isEqualTo("Kafka");
    }

    @Test
    void jsonQuickStart() {
        // Given
        String topic = kafka.newTopic(1);
        String group = "my_json_consumer_" + UUID.randomUUID();

        // When
        Response produced = confluent.post("/topics/" + topic, "application/vnd.kafka.json.v1+json",
                "{\"records\":[{\"value\":{\"foo\":\"bar\"}}]}");
        Response created = confluent.post("/consumers/" + group, "application/vnd.kafka.v1+json",
                "{\"name\": \"my_consumer_instance\", \"format\": \"json\", \"auto.offset.reset\": \"smallest\"}");
        Response read = confluent.get("/consumers/" + group + "/instances/my_consumer_instance/topics/" + topic,
                "application/vnd.kafka.json.v1+json");
        Response deleted = confluent.delete("/consumers/" + group + "/instances/my_consumer_instance");

        // Then
        assertThat(produced.body()).isEqualTo("{\"offsets\":[{\"partition\":0,\"offset\":0,\"error_code\":null,"
                + "\"error\":null}],\"key_schema_id\":null,\"value_schema_id\":null}");
        assertThat(created.status()).isEqualTo(200);
        assertThat(read.status()).as(read.body()).isEqualTo(200);
        assertThat(read.json()).hasSize(1);
        assertThat(read.json().get(0).path("value").toString()).isEqualTo("{\"foo\":\"bar\"}");
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(new String(kafka.records(topic, 1).get(0).value(), StandardCharsets.UTF_8)).isEqualTo("{\"foo\":\"bar\"}");
    }

    @Test
    void aV2ClientLoopReadsEverythingAndCommitsWhatItRead() {
        // Given: 30 json records on 3 partitions
        String topic = kafka.newTopic(3);
        StringBuilder records = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 30; i++) {
            records.append(i == 0 ? "" : ",").append("{\"key\":\"k").append(i).append("\",\"value\":{\"n\":").append(i)
                    .append(",\"x\":53.5}}");
        }
        Response produced = confluent.post("/topics/" + topic, "application/vnd.kafka.json.v2+json", records + "]}");
        assertThat(produced.status()).as(produced.body()).isEqualTo(200);
        String group = "loop-" + UUID.randomUUID();
        String base = "/consumers/" + group + "/instances/c1";

        // When: create, subscribe, poll until all 30 are read, commit them, delete
        assertThat(confluent.post("/consumers/" + group, "application/vnd.kafka.v2+json",
                "{\"name\":\"c1\",\"format\":\"json\",\"auto.offset.reset\":\"earliest\",\"auto.commit.enable\":\"false\"}").status())
                .isEqualTo(200);
        assertThat(confluent.post(base + "/subscription", "application/vnd.kafka.v2+json",
                "{\"topics\":[\"" + topic + "\"]}").status()).isEqualTo(204);
        List<JsonNode> read = new ArrayList<>();
        await().atMost(java.time.Duration.ofSeconds(30)).until(() -> {
            Response answer = confluent.get(base + "/records?timeout=1000", "application/vnd.kafka.json.v2+json");
            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            answer.json().forEach(read::add);
            return read.size() >= 30;
        });
        StringBuilder commit = new StringBuilder("{\"offsets\":[");
        Map<Integer, Long> last = new java.util.TreeMap<>();
        read.forEach(r -> last.merge(r.path("partition").asInt(), r.path("offset").asLong(), Math::max));
        last.forEach((p, o) -> commit.append(commit.length() > 12 ? "," : "").append("{\"topic\":\"").append(topic)
                .append("\",\"partition\":").append(p).append(",\"offset\":").append(o).append("}"));
        Response committed = confluent.post(base + "/offsets", "application/vnd.kafka.v2+json", commit + "]}");
        Response shown = confluent.send("GET", base + "/offsets", "application/vnd.kafka.v2+json", null,
                "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0},{\"topic\":\"" + topic + "\",\"partition\":1},"
                        + "{\"topic\":\"" + topic + "\",\"partition\":2}]}");
        Response deleted = confluent.delete(base);

        // Then: each record once, its JSON intact; Kafka stores the next offset to read (Confluent's +1 rule)
        assertThat(read).hasSize(30);
        Set<Integer> values = new HashSet<>();
        read.forEach(r -> values.add(r.path("value").path("n").asInt()));
        assertThat(values).hasSize(30);
        assertThat(read.get(0).path("value").path("x").asDouble()).isEqualTo(53.5);
        assertThat(read.get(0).path("key").asText()).startsWith("k");
        assertThat(read.get(0).path("topic").asText()).isEqualTo(topic);
        assertThat(committed.status()).as(committed.body()).isEqualTo(200);
        assertThat(shown.status()).as(shown.body()).isEqualTo(200);
        for (JsonNode o : shown.json().path("offsets")) {
            assertThat(o.path("offset").asLong()).isEqualTo(last.get(o.path("partition").asInt()) + 1);
        }
        assertThat(shown.json().path("offsets")).hasSize(last.size());
        assertThat(deleted.status()).isEqualTo(204);
        Map<TopicPartition, OffsetAndMetadata> inKafka = committedOffsets(group);
        long total = inKafka.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        assertThat(total).isEqualTo(30);
        List<ConsumerRecord<byte[], byte[]>> all = kafka.records(topic, 30);
        assertThat(all).hasSize(30);
    }

    static Map<TopicPartition, OffsetAndMetadata> committedOffsets(String group) {
        try {
            return kafka.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
