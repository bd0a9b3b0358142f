package io.kafkagateway.confluent;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkagateway.testing.ConfluentClient;
import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.Response;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every Confluent endpoint of the gateway and its errors, against a real broker: metadata, produce errors, content
 * negotiation, instance lifecycle (two instances split a group's partitions, the bound, idle expiry), positions,
 * assignments, and an open records request answered at once when the gateway stops.
 */
@ExtendWith(KafkaClusterExtension.class)
class ConfluentApiIT {

    private static final String V2 = "application/vnd.kafka.v2+json";
    private static final String BINARY = "application/vnd.kafka.binary.v2+json";
    private static final String JSON = "application/vnd.kafka.json.v2+json";

    static KafkaCluster cluster;
    static KafkaProbe kafka;
    static GatewayTester gateway;
    static ConfluentClient confluent;

    @BeforeAll
    static void start() {
        kafka = new KafkaProbe(cluster.getBootstrapServers());
        gateway = GatewayTester.withConfluent(yaml("max_instances: 4, instance_timeout: 3s"));
        confluent = new ConfluentClient(gateway.confluentUrl());
    }

    static String yaml(String consumer) {
        return """
                confluent: {consumer: {%s}}
                proxies:
                  default:
                    kafka: {seed_peers: [%s]}
                """.formatted(consumer, cluster.getBootstrapServers());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        kafka.close();
    }

    private static int code(Response response) {
        return response.json().path("error_code").asInt();
    }

    @Test
    void metadataDescribesTopicsPartitionsOffsetsAndBrokers() {
        // Given
        String topic = kafka.newTopic(2);
        kafka.produce(topic, 5);

        // When
        Response topics = confluent.get("/topics", null);
        Response one = confluent.get("/topics/" + topic, V2);
        Response partitions = confluent.get("/topics/" + topic + "/partitions", null);
        Response partition = confluent.get("/topics/" + topic + "/partitions/1", null);
        Response offsets0 = confluent.get("/topics/" + topic + "/partitions/0/offsets", null);
        Response offsets1 = confluent.get("/topics/" + topic + "/partitions/1/offsets", null);
        Response brokers = confluent.get("/brokers", null);

        // Then
        assertThat(topics.json().toString()).contains("\"" + topic + "\"");
        assertThat(one.json().path("name").asText()).isEqualTo(topic);
        assertThat(one.json().path("configs").isObject()).isTrue();
        assertThat(one.json().path("partitions")).hasSize(2);
        JsonNode replica = one.json().path("partitions").get(0).path("replicas").get(0);
        assertThat(replica.path("leader").asBoolean()).isTrue();
        assertThat(replica.path("in_sync").asBoolean()).isTrue();
        assertThat(partitions.json()).hasSize(2);
        assertThat(partition.json().path("partition").asInt()).isEqualTo(1);
        assertThat(offsets0.json().path("beginning_offset").asLong()).isZero();
        assertThat(offsets0.json().path("end_offset").asLong() + offsets1.json().path("end_offset").asLong()).isEqualTo(5);
        assertThat(brokers.json().path("brokers").get(0).isInt()).isTrue();
        assertThat(one.header("Content-Type")).isEqualTo(V2);
    }

    @Test
    void unknownTopicsAndPartitionsAnswerConfluentsCodes() {
        String topic = kafka.newTopic(1);
        assertThat(code(confluent.get("/topics/no-such-topic-" + UUID.randomUUID(), null))).isEqualTo(40401);
        Response partition = confluent.get("/topics/" + topic + "/partitions/7", null);
        assertThat(partition.status()).isEqualTo(404);
        assertThat(code(partition)).isEqualTo(40402);
        assertThat(code(confluent.get("/topics/" + topic + "/partitions/x/offsets", null))).isEqualTo(40402);
        Response produced = confluent.post("/topics/" + topic + "/partitions/3", BINARY, "{\"records\":[{\"value\":\"AA==\"}]}");
        assertThat(produced.status()).isEqualTo(404);
        assertThat(code(produced)).isEqualTo(40402);
        assertThat(code(confluent.get("/nowhere", null))).isEqualTo(404);
    }

    @Test
    void produceToAPartitionWithKeysAndATombstone() {
        // Given
        String topic = kafka.newTopic(2);

        // When
        Response produced = confluent.post("/topics/" + topic + "/partitions/1", BINARY,
                "{\"records\":[{\"key\":\"a2V5\",\"value\":\"dmFsdWU=\"},{\"key\":\"a2V5\",\"value\":null}]}");
        Response perRecord = confluent.post("/topics/" + topic, JSON,
                "{\"records\":[{\"value\":1,\"partition\":0},{\"value\":\"two\",\"partition\":0}]}");

        // Then
        assertThat(produced.status()).as(produced.body()).isEqualTo(200);
        assertThat(produced.json().path("offsets").get(1).path("partition").asInt()).isEqualTo(1);
        assertThat(produced.json().path("offsets").get(1).path("offset").asLong()).isEqualTo(1);
        assertThat(perRecord.json().path("offsets").get(1).path("offset").asLong()).isEqualTo(1);
        List<ConsumerRecord<byte[], byte[]>> records = kafka.records(topic, 4);
        assertThat(records).anySatisfy(r -> {
            assertThat(r.partition()).isEqualTo(1);
            assertThat(new String(r.key())).isEqualTo("key");
            assertThat(r.value()).isNull();
        });
        assertThat(records).anySatisfy(r -> assertThat(new String(r.value())).isEqualTo("\"two\""));
    }

    @Test
    void aBadRecordRefusesTheWholeRequestAndWritesNothing() {
        // Given
        String topic = kafka.newTopic(1);

        // When
        Response badBase64 = confluent.post("/topics/" + topic, BINARY,
                "{\"records\":[{\"value\":\"AA==\"},{\"value\":\"not base64!\"}]}");
        Response notJson = confluent.post("/topics/" + topic, BINARY, "{\"records\": [");
        Response empty = confluent.post("/topics/" + topic, BINARY, "{\"records\": []}");
        Response schema = confluent.post("/topics/" + topic, "application/vnd.kafka.avro.v2+json",
                "{\"value_schema\":\"\\\"string\\\"\",\"records\":[{\"value\":\"x\"}]}");
        Response form = confluent.post("/topics/" + topic, "application/x-www-form-urlencoded", "a=b");
        Response notAcceptable = confluent.send("POST", "/topics/" + topic, BINARY, "text/html",
                "{\"records\":[{\"value\":\"AA==\"}]}");

        // Then
        assertThat(badBase64.status()).isEqualTo(422);
        assertThat(badBase64.json().path("message").asText()).contains("records[1].value");
        assertThat(code(notJson)).isEqualTo(422);
        assertThat(code(empty)).isEqualTo(422);
        assertThat(schema.status()).isEqualTo(415);
        assertThat(schema.json().path("message").asText()).contains("schema registry");
        assertThat(form.status()).isEqualTo(415);
        assertThat(form.body()).isEqualTo("{\"error_code\":415,\"message\":\"HTTP 415 Unsupported Media Type\"}");
        assertThat(notAcceptable.status()).isEqualTo(406);
        assertThat(kafka.endOffsets(topic).get(0)).isZero();
    }

    @Test
    void instanceCreationRefusesDuplicatesAndBadConfigurations() {
        String group = "g-" + UUID.randomUUID();
        assertThat(confluent.post("/consumers/" + group, V2, "{\"name\":\"a\"}").status()).isEqualTo(200);
        Response duplicate = confluent.post("/consumers/" + group, V2, "{\"name\":\"a\"}");
        assertThat(duplicate.status()).isEqualTo(409);
        assertThat(code(duplicate)).isEqualTo(40902);
        Response smallest = confluent.post("/consumers/" + group, V2, "{\"name\":\"b\",\"auto.offset.reset\":\"smallest\"}");
        assertThat(smallest.status()).isEqualTo(422);
        assertThat(code(smallest)).isEqualTo(42204);
        assertThat(code(confluent.post("/consumers/" + group, V2, "{\"format\":\"avro\"}"))).isEqualTo(42204);
        assertThat(code(confluent.post("/consumers/" + group, V2, "{\"auto.commit.enable\":\"maybe\"}"))).isEqualTo(42204);
        Response unnamed = confluent.post("/consumers/" + group, V2, "{}");
        assertThat(unnamed.json().path("instance_id").asText()).startsWith("rest-consumer-");
        assertThat(confluent.delete("/consumers/" + group + "/instances/a").status()).isEqualTo(204);
        assertThat(confluent.delete("/consumers/" + group + "/instances/" + unnamed.json().path("instance_id").asText())
                .status()).isEqualTo(204);
        Response gone = confluent.delete("/consumers/" + group + "/instances/a");
        assertThat(gone.status()).isEqualTo(404);
        assertThat(code(gone)).isEqualTo(40403);
    }

    @Test
    void baseUriFollowsTheLoadBalancersForwardedHeaders() {
        String group = "fwd-" + UUID.randomUUID();
        Response forwarded = confluent.send("POST", "/consumers/" + group, V2, null, "{\"name\":\"a\"}",
                "Forwarded", "for=10.0.0.1;proto=https;host=kafka-rest.example.com");
        Response xForwarded = confluent.send("POST", "/consumers/" + group, V2, null, "{\"name\":\"b\"}",
                "X-Forwarded-Proto", "https", "X-Forwarded-Host", "lb.example.com:8443");
        assertThat(forwarded.json().path("base_uri").asText())
                .isEqualTo("https://kafka-rest.example.com/consumers/" + group + "/instances/a");
        assertThat(xForwarded.json().path("base_uri").asText())
                .isEqualTo("https://lb.example.com:8443/consumers/" + group + "/instances/b");
        confluent.delete("/consumers/" + group + "/instances/a");
        confluent.delete("/consumers/" + group + "/instances/b");
    }

    @Test
    void subscriptionAndManualAssignmentExcludeEachOther() {
        // Given
        String topic = kafka.newTopic(2);
        String base = instance("binary");

        // When
        Response subscribed = confluent.post(base + "/subscription", V2, "{\"topics\":[\"" + topic + "\"]}");
        Response shown = confluent.get(base + "/subscription", null);
        Response assign = confluent.post(base + "/assignments", V2,
                "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0}]}");
        Response both = confluent.post(base + "/subscription", V2, "{\"topics\":[\"a\"],\"topic_pattern\":\"b.*\"}");
        Response unsubscribed = confluent.delete(base + "/subscription");
        Response assigned = confluent.post(base + "/assignments", V2,
                "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":1}]}");
        Response assignments = confluent.get(base + "/assignments", null);
        Response subscribeNow = confluent.post(base + "/subscription", V2, "{\"topic_pattern\":\"" + topic + ".*\"}");

        // Then
        assertThat(subscribed.status()).isEqualTo(204);
        assertThat(shown.json().path("topics").get(0).asText()).isEqualTo(topic);
        assertThat(assign.status()).isEqualTo(409);
        assertThat(code(assign)).isEqualTo(40903);
        assertThat(code(both)).isEqualTo(40903);
        assertThat(unsubscribed.status()).isEqualTo(204);
        assertThat(assigned.status()).isEqualTo(204);
        assertThat(assignments.json().path("partitions").get(0).path("partition").asInt()).isEqualTo(1);
        assertThat(code(subscribeNow)).isEqualTo(40903);
        confluent.delete(base);
    }

    @Test
    void positionsMoveWhatTheNextRecordsRequestReturns() {
        // Given: 10 records on partition 0, assigned by hand
        String topic = kafka.newTopic(1);
        kafka.produce(topic, 10);
        String base = instance("binary");
        assertThat(confluent.post(base + "/assignments", V2,
                "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0}]}").status()).isEqualTo(204);

        // When / Then: seek to 7, read 7..9; to the beginning; to the end
        assertThat(confluent.post(base + "/positions", V2,
                "{\"offsets\":[{\"topic\":\"" + topic + "\",\"partition\":0,\"offset\":7}]}").status()).isEqualTo(204);
        assertThat(readOffsets(base, 3)).containsExactly(7L, 8L, 9L);
        assertThat(confluent.post(base + "/positions/beginning", V2,
                "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0}]}").status()).isEqualTo(204);
        assertThat(readOffsets(base, 10).get(0)).isZero();
        assertThat(confluent.post(base + "/positions/end", V2,
                "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0}]}").status()).isEqualTo(204);
        kafka.produce(topic, 1);
        assertThat(readOffsets(base, 1)).containsExactly(10L);
        Response unassigned = confluent.post(base + "/positions", V2,
                "{\"offsets\":[{\"topic\":\"" + topic + "\",\"partition\":5,\"offset\":0}]}");
        assertThat(code(unassigned)).isEqualTo(40903);
        confluent.delete(base);
    }

    @Test
    void assigningOtherPartitionsDropsWhatWasFetchedForThoseTakenAway() throws Exception {
        // Given: 10 records on each of 2 partitions; partition 0 assigned by hand and partly read, the rest fetched ahead
        String topic = kafka.newTopic(2);
        produceTo(topic, 0, 10);
        produceTo(topic, 1, 10);
        String group = "g-" + UUID.randomUUID();
        String base = create(group, "c", "binary", false);
        confluent.post(base + "/assignments", V2, "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0}]}");
        assertThat(readRecords(base, 1, 35)).allMatch(r -> r.path("partition").asInt() == 0);

        // When: partition 1 instead, everything read, everything returned committed
        confluent.post(base + "/assignments", V2, "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":1}]}");
        List<JsonNode> after = readRecords(base, 10, 1_000_000);
        Response committed = confluent.post(base + "/offsets", V2, "");

        // Then: nothing of partition 0 comes after the change, and the commit is of partition 1 only
        assertThat(after).extracting(r -> r.path("partition").asInt()).containsOnly(1);
        assertThat(after).extracting(r -> r.path("offset").asLong()).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(committed.status()).as(committed.body()).isIn(200, 204);
        var offsets = kafka.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        assertThat(offsets).containsOnlyKeys(new org.apache.kafka.common.TopicPartition(topic, 1));
        confluent.delete(base);
    }

    @Test
    void aSeekNamingAnUnassignedPartitionMovesNothing() {
        // Given: 10 records, 3 read, the rest fetched ahead
        String base = instanceOnANewTopic(10);
        String topic = confluent.get(base + "/assignments", null).json().path("partitions").get(0).path("topic").asText();
        List<JsonNode> first = readRecords(base, 1, 35);

        // When: a seek to 0 that also names a partition the instance does not have
        Response seek = confluent.post(base + "/positions", V2, "{\"offsets\":[{\"topic\":\"" + topic
                + "\",\"partition\":0,\"offset\":0},{\"topic\":\"" + topic + "\",\"partition\":5,\"offset\":0}]}");
        List<JsonNode> rest = readRecords(base, 10 - first.size(), 1_000_000);
        Response more = confluent.get(base + "/records?timeout=1500", BINARY);

        // Then: refused as a whole; reading goes on where it was, each record once
        assertThat(code(seek)).isEqualTo(40903);
        assertThat(first).extracting(r -> r.path("offset").asLong()).containsExactly(0L, 1L, 2L);
        assertThat(rest).extracting(r -> r.path("offset").asLong()).containsExactly(3L, 4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(more.json()).isEmpty();
        confluent.delete(base);
    }

    @Test
    void aRecordLargerThanMaxBytesIsReturnedAlone() {
        // Given
        String base = instanceOnANewTopic(2);

        // When: max_bytes below one record's 10 bytes
        List<JsonNode> first = readRecords(base, 1, 5);
        List<JsonNode> second = readRecords(base, 1, 5);

        // Then: one record per answer, so the instance moves on
        assertThat(first).extracting(r -> r.path("offset").asLong()).containsExactly(0L);
        assertThat(second).extracting(r -> r.path("offset").asLong()).containsExactly(1L);
        confluent.delete(base);
    }

    @Test
    void recordsAnswerInTheInstancesFormatOnly() {
        // Given: one record that is not JSON
        String topic = kafka.newTopic(1);
        assertThat(confluent.post("/topics/" + topic, BINARY, "{\"records\":[{\"value\":\"bm90IGpzb24=\"}]}").status()).isEqualTo(200);
        String base = instance("json");
        confluent.post(base + "/assignments", V2, "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0}]}");

        // When
        Response binaryAccept = confluent.get(base + "/records", BINARY);
        Response genericAccept = confluent.get(base + "/records", "text/plain");
        Response bad = await().atMost(Duration.ofSeconds(20)).until(() -> confluent.get(base + "/records?timeout=500", JSON),
                r -> r.status() != 200);
        Response maxBytes = confluent.get(base + "/records?max_bytes=abc", JSON);

        // Then
        assertThat(binaryAccept.status()).isEqualTo(406);
        assertThat(code(binaryAccept)).isEqualTo(40601);
        assertThat(genericAccept.status()).isEqualTo(406);
        assertThat(bad.status()).isEqualTo(500);
        assertThat(code(bad)).isEqualTo(50002);
        assertThat(bad.json().path("message").asText()).contains("offset 0").contains("positions");
        assertThat(maxBytes.status()).isEqualTo(400);
        confluent.delete(base);
    }

    @Test
    void twoInstancesOfOneGroupSplitItsPartitions() {
        // Given
        String topic = kafka.newTopic(4);
        kafka.produce(topic, 200);
        String group = "split-" + UUID.randomUUID();
        String a = create(group, "a", "binary");
        String b = create(group, "b", "binary");
        confluent.post(a + "/subscription", V2, "{\"topics\":[\"" + topic + "\"]}");
        confluent.post(b + "/subscription", V2, "{\"topics\":[\"" + topic + "\"]}");

        // When: both poll until the group settled with both
        await().atMost(Duration.ofSeconds(40)).until(() -> {
            confluent.get(a + "/records?timeout=200", BINARY);
            confluent.get(b + "/records?timeout=200", BINARY);
            return assigned(a).size() + assigned(b).size() == 4 && !assigned(a).isEmpty() && !assigned(b).isEmpty();
        });

        // Then
        Set<Integer> union = new HashSet<>(assigned(a));
        union.addAll(assigned(b));
        assertThat(union).containsExactlyInAnyOrder(0, 1, 2, 3);
        assertThat(assigned(a)).doesNotContainAnyElementsOf(assigned(b));
        confluent.delete(a);
        confluent.delete(b);
    }

    @Test
    void theInstanceBoundAnswers429AndIdleInstancesExpire() {
        try (GatewayTester small = GatewayTester.withConfluent(yaml("max_instances: 2, instance_timeout: 1s"))) {
            ConfluentClient client = new ConfluentClient(small.confluentUrl());
            String group = "bound-" + UUID.randomUUID();
            assertThat(client.post("/consumers/" + group, V2, "{\"name\":\"a\"}").status()).isEqualTo(200);
            assertThat(client.post("/consumers/" + group, V2, "{\"name\":\"b\"}").status()).isEqualTo(200);
            Response third = client.post("/consumers/" + group, V2, "{\"name\":\"c\"}");
            assertThat(third.status()).isEqualTo(429);
            assertThat(third.header("Retry-After")).isNotNull();
            // Asking about a or b would keep them alive: creating c succeeds once both expired.
            await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(300)).untilAsserted(() ->
                    assertThat(client.post("/consumers/" + group, V2, "{\"name\":\"c\"}").status()).isEqualTo(200));
            assertThat(code(client.get("/consumers/" + group + "/instances/a/subscription", null))).isEqualTo(40403);
        }
    }

    @Test
    void anOpenRecordsRequestAnswersAtOnceWhenTheGatewayStops() throws Exception {
        GatewayTester stopping = GatewayTester.withConfluent(yaml("request_timeout: 30s"));
        ConfluentClient client = new ConfluentClient(stopping.confluentUrl());
        String topic = kafka.newTopic(1);
        String base = "/consumers/stop-" + UUID.randomUUID() + "/instances/c";
        client.post(base.substring(0, base.indexOf("/instances")), V2, "{\"name\":\"c\"}");
        client.post(base + "/assignments", V2, "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0}]}");
        CompletableFuture<Response> waiting = CompletableFuture.supplyAsync(() -> client.get(base + "/records?timeout=30000", BINARY));
        await().atMost(Duration.ofSeconds(10)).until(() -> stopping.gateway().config() != null && !waiting.isDone());
        long started = System.nanoTime();
        stopping.close();
        Response answer = waiting.get(20, TimeUnit.SECONDS);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json()).isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
    }

    /** A binary instance without auto-commit, assigned partition 0 of a new topic holding {@code records} records. */
    private static String instanceOnANewTopic(int records) {
        String topic = kafka.newTopic(1);
        produceTo(topic, 0, records);
        String base = create("g-" + UUID.randomUUID(), "c", "binary", false);
        Response assigned = confluent.post(base + "/assignments", V2,
                "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0}]}");
        assertThat(assigned.status()).as(assigned.body()).isEqualTo(204);
        return base;
    }

    private static String instance(String format) {
        return create("g-" + UUID.randomUUID(), "c", format);
    }

    private static String create(String group, String name, String format) {
        return create(group, name, format, true);
    }

    private static String create(String group, String name, String format, boolean autoCommit) {
        Response created = confluent.post("/consumers/" + group, V2, "{\"name\":\"" + name
                + "\",\"auto.offset.reset\":\"earliest\",\"auto.commit.enable\":\"" + autoCommit + "\",\"format\":\""
                + format + "\"}");
        assertThat(created.status()).as(created.body()).isEqualTo(200);
        return "/consumers/" + group + "/instances/" + name;
    }

    private static Set<Integer> assigned(String base) {
        Set<Integer> partitions = new HashSet<>();
        confluent.get(base + "/assignments", null).json().path("partitions").forEach(p -> partitions.add(p.path("partition").asInt()));
        return partitions;
    }

    /** Writes {@code count} records of 10-byte values (no key) to one partition through the gateway. */
    private static void produceTo(String topic, int partition, int count) {
        StringBuilder records = new StringBuilder();
        for (int i = 0; i < count; i++) {
            records.append(i == 0 ? "" : ",").append("{\"value\":\"").append(java.util.Base64.getEncoder()
                    .encodeToString(String.format("value-%04d", i).getBytes(java.nio.charset.StandardCharsets.US_ASCII))).append("\"}");
        }
        Response produced = confluent.post("/topics/" + topic + "/partitions/" + partition, BINARY, "{\"records\":[" + records + "]}");
        assertThat(produced.status()).as(produced.body()).isEqualTo(200);
    }

    /** Reads answers of at most {@code maxBytes} until {@code count} records came; the first answer with any ends it if count is 1. */
    private static List<JsonNode> readRecords(String base, int count, int maxBytes) {
        List<JsonNode> records = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Response r = confluent.get(base + "/records?timeout=500&max_bytes=" + maxBytes, BINARY);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            r.json().forEach(records::add);
            return records.size() >= count;
        });
        return records;
    }

    private static List<Long> readOffsets(String base, int count) {
        List<Long> offsets = new java.util.ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Response r = confluent.get(base + "/records?timeout=500", null);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            r.json().forEach(record -> offsets.add(record.path("offset").asLong()));
            return offsets.size() >= count;
        });
        return offsets;
    }
}
