package io.kafkagateway.http;

import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.Response;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.common.BrokerConfig;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * REST produce against a real broker that does not create topics on its own: Kafka-Pixy's produce scenarios,
 * every content type and every error path. Clusters are several views of the one broker with different settings.
 */
@ExtendWith(KafkaClusterExtension.class)
class ProduceIT {

    @BrokerConfig(name = "auto.create.topics.enable", value = "false")
    static KafkaCluster cluster;

    static GatewayTester gateway;
    static KafkaProbe kafka;

    @BeforeAll
    static void start() {
        kafka = new KafkaProbe(cluster.getBootstrapServers());
        String peers = "kafka: {seed_peers: [" + cluster.getBootstrapServers() + "]}";
        gateway = GatewayTester.start("""
                proxies:
                  pixy:
                    %1$s
                    producer: {max_message_bytes: 10000}
                  murmur:
                    %1$s
                    producer: {partitioner: murmur2}
                  robin:
                    %1$s
                    producer: {partitioner: roundrobin}
                  random:
                    %1$s
                    producer: {partitioner: random}
                  fire-and-forget:
                    %1$s
                    producer: {required_acks: no_response}
                """.formatted(peers));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        kafka.close();
    }

    private static Response produce(String topic, String query, String body) {
        return gateway.post("/topics/" + topic + "/messages" + query, "text/plain", body);
    }

    @Test
    void keysLandWherePixysHashPartitionerPutsThem() {
        // Given
        String topic = kafka.newTopic(4);

        // When
        for (int i = 0; i < 10; i++) {
            for (String key : List.of("1", "2", "3", "4", "5")) {
                assertThat(produce(topic, "?key=" + key, "msg").body()).isEqualTo("{}");
            }
        }

        // Then
        await().untilAsserted(() -> assertThat(kafka.endOffsets(topic)).isEqualTo(Map.of(0, 20L, 1, 10L, 2, 10L, 3, 10L)));
    }

    @Test
    void anEmptyKeyIsTheHashOfTheEmptyString() {
        String topic = kafka.newTopic(4);
        for (int i = 0; i < 10; i++) {
            assertThat(produce(topic, "?key=", "msg").status()).isEqualTo(200);
        }
        await().untilAsserted(() -> assertThat(kafka.endOffsets(topic)).isEqualTo(Map.of(0, 0L, 1, 0L, 2, 0L, 3, 10L)));
    }

    @Test
    void keylessMessagesSpreadOverPartitions() {
        String topic = kafka.newTopic(4);
        for (int i = 0; i < 100; i++) {
            assertThat(produce(topic, "", "msg " + i).status()).isEqualTo(200);
        }
        List<ConsumerRecord<byte[], byte[]>> records = kafka.records(topic, 100);
        assertThat(KafkaProbe.countBy(records, ConsumerRecord::partition)).hasSizeGreaterThan(1);
        assertThat(records).allSatisfy(r -> assertThat(r.key()).isNull());
    }

    @Test
    void syncProduceAnswersWhereKafkaStoredTheRecordAndKeepsUtf8Intact() {
        // Given
        String topic = kafka.newTopic(4);
        String message = "Превед Медвед";

        // When
        Response response = produce(topic, "?key=foo&sync", message);

        // Then
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().get("partition").asInt()).isEqualTo(1);
        assertThat(response.json().get("offset").asLong()).isZero();
        ConsumerRecord<byte[], byte[]> record = kafka.records(topic, 1).get(0);
        assertThat(record.partition()).isEqualTo(1);
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("foo");
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo(message);
    }

    @Test
    void xKafkaHeadersBecomeRecordHeaders() {
        // Given
        String topic = kafka.newTopic(1);

        // When
        Response response = gateway.post("/topics/" + topic + "/messages?sync", "text/plain", "with headers",
                "X-Kafka-Foo", "YmFy", "x-kafka-trace-id", "MTIz");

        // Then
        assertThat(response.status()).isEqualTo(200);
        Header[] headers = kafka.records(topic, 1).get(0).headers().toArray();
        assertThat(headers).extracting(Header::key).containsExactlyInAnyOrder("Foo", "Trace-Id");
        assertThat(kafka.records(topic, 1).get(0).headers().lastHeader("Foo").value()).isEqualTo("bar".getBytes(StandardCharsets.UTF_8));
        assertThat(kafka.records(topic, 1).get(0).headers().lastHeader("Trace-Id").value()).isEqualTo("123".getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/plain", "text/plain; charset=utf-8", "TEXT/PLAIN;charset=ISO-8859-1",
            "application/json", "application/json; charset=utf-8", "application/vnd.example+json"})
    void bodyIsTheMessageForTextAndJson(String contentType) {
        String topic = kafka.newTopic(1);
        Response response = gateway.post("/topics/" + topic + "/messages?sync", contentType, "{\"a\":1}");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(kafka.records(topic, 1).get(0).value()).isEqualTo("{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void formFieldMsgIsTheMessage() {
        String topic = kafka.newTopic(1);
        Response response = gateway.post("/topics/" + topic + "/messages?sync&key=k", "application/x-www-form-urlencoded",
                "msg=" + URLEncoder.encode("hello wörld & more", StandardCharsets.UTF_8));
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        ConsumerRecord<byte[], byte[]> record = kafka.records(topic, 1).get(0);
        assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("hello wörld & more");
        assertThat(new String(record.key(), StandardCharsets.UTF_8)).isEqualTo("k");
    }

    @Test
    void chunkedBodiesAreAccepted() {
        String topic = kafka.newTopic(1);
        byte[] body = "x".repeat(5000).getBytes(StandardCharsets.UTF_8);
        Response response = gateway.postChunked("/topics/" + topic + "/messages?sync", "text/plain", body);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(kafka.records(topic, 1).get(0).value()).isEqualTo(body);
    }

    @Test
    void namedClusterRouteUsesThatClustersPartitioner() {
        String topic = kafka.newTopic(4);
        Response response = gateway.post("/clusters/murmur/topics/" + topic + "/messages?key=bar&sync", "text/plain", "m");
        int expected = Utils.toPositive(Utils.murmur2("bar".getBytes(StandardCharsets.UTF_8))) % 4;
        assertThat(response.json().get("partition").asInt()).isEqualTo(expected);
    }

    @Test
    void roundRobinTakesPartitionsInTurn() {
        String topic = kafka.newTopic(4);
        for (int i = 0; i < 100; i++) {
            assertThat(gateway.post("/clusters/robin/topics/" + topic + "/messages?sync", "text/plain", "m").status()).isEqualTo(200);
        }
        assertThat(kafka.endOffsets(topic)).isEqualTo(Map.of(0, 25L, 1, 25L, 2, 25L, 3, 25L));
    }

    @Test
    void randomIgnoresTheKey() {
        String topic = kafka.newTopic(4);
        for (int i = 0; i < 100; i++) {
            assertThat(gateway.post("/clusters/random/topics/" + topic + "/messages?key=same", "text/plain", "m").status()).isEqualTo(200);
        }
        assertThat(KafkaProbe.countBy(kafka.records(topic, 100), ConsumerRecord::partition)).hasSizeGreaterThan(1);
    }

    @Test
    void withoutAcknowledgementsSyncProduceKnowsThePartitionButNotTheOffset() {
        String topic = kafka.newTopic(4);
        Response response = gateway.post("/clusters/fire-and-forget/topics/" + topic + "/messages?key=bar&sync", "text/plain", "m");
        assertThat(response.json().get("partition").asInt()).isEqualTo(2);
        assertThat(response.json().get("offset").asLong()).isEqualTo(-1);
        assertThat(kafka.records(topic, 1).get(0).partition()).isEqualTo(2);
    }

    @Test
    void unknownTopicIs404WhetherSyncOrAsync() {
        Response sync = produce("no-such-topic", "?sync", "m");
        Response async = produce("no-such-topic", "", "m");
        assertThat(sync.status()).isEqualTo(404);
        assertThat(sync.error()).isEqualTo("Unknown topic: no-such-topic");
        assertThat(async.status()).isEqualTo(404);
    }

    @Test
    void unknownClusterIs400() {
        Response response = gateway.post("/clusters/nope/topics/t/messages", "text/plain", "m");
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("proxy `nope` does not exist");
    }

    @Test
    void invalidInputIs400AndProducesNothing() {
        // Given
        String topic = kafka.newTopic(1);
        String path = "/topics/" + topic + "/messages?sync";

        // When
        Response html = gateway.post(path, "text/html", "<p>");
        Response none = gateway.post(path, null, "m");
        Response emptyForm = gateway.post(path, "application/x-www-form-urlencoded", "msg=");
        Response badHeader = gateway.post(path, "text/plain", "m", "X-Kafka-Foo", "%%%");
        Response badTopic = gateway.post("/topics/a%20b/messages", "text/plain", "m");

        // Then
        assertThat(html.status()).isEqualTo(400);
        assertThat(html.error()).startsWith("unsupported content type text/html");
        assertThat(none.status()).isEqualTo(400);
        assertThat(emptyForm.status()).isEqualTo(400);
        assertThat(emptyForm.error()).isEqualTo("empty message");
        assertThat(badHeader.status()).isEqualTo(400);
        assertThat(badHeader.error()).isEqualTo("Invalid base64 encoding for header: X-Kafka-Foo");
        assertThat(badTopic.status()).isEqualTo(400);
        assertThat(badTopic.error()).startsWith("invalid topic name 'a b'");
        assertThat(kafka.endOffsets(topic)).isEqualTo(Map.of(0, 0L));
    }

    @Test
    void kafkasInternalTopicsAreRefusedBeforeProducingSyncOrAsync() {
        for (String query : new String[] {"?sync", ""}) {
            Response refused = gateway.post("/clusters/pixy/topics/__consumer_offsets/messages" + query, "text/plain", "m");
            assertThat(refused.status()).as(query).isEqualTo(400);
            assertThat(refused.error()).as(query).isEqualTo("topic __consumer_offsets is internal to Kafka; the gateway does not produce to it");
        }
        assertThat(gateway.post("/clusters/pixy/topics/__transaction_state/messages?sync", "text/plain", "m").status()).isEqualTo(400);
    }

    @Test
    void messageLargerThanMaxMessageBytesIs413() {
        String topic = kafka.newTopic(1);
        Response response = produce(topic, "?sync", "x".repeat(10_001));
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.error()).contains("10001 bytes", "10000", "producer.max_message_bytes");
        assertThat(produce(topic, "?sync", "x".repeat(10_000)).status()).isEqualTo(200);
    }

    @Test
    void kafkaRefusingTheRecordIsReportedWithKafkasReason() {
        // Given: the topic accepts smaller records than the gateway does
        String topic = kafka.newTopic(1, Map.of("max.message.bytes", "200"));

        // When: random text, so compression cannot bring it under the limit
        Response response = produce(topic, "?sync", incompressible(2000));

        // Then
        assertThat(response.status()).as(response.toString()).isEqualTo(413);
        assertThat(response.error()).contains("larger than the max message size");
    }

    @Test
    void successfulProducesAreCounted() {
        // Given
        String topic = kafka.newTopic(1);
        double before = syncOkCount();

        // When
        assertThat(produce(topic, "?sync", "m").status()).isEqualTo(200);

        // Then
        assertThat(syncOkCount()).isEqualTo(before + 1);
    }

    private static double syncOkCount() {
        java.util.regex.Matcher m = java.util.regex.Pattern
                .compile("kgw_produce_requests_total\\{cluster=\"pixy\",mode=\"sync\",outcome=\"ok\"} ([0-9.E]+)")
                .matcher(gateway.getManagement("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void anAsyncMessageKafkaRefusesLaterIsCountedAsLost() {
        // Given: the topic accepts smaller records than the gateway does, so only the broker refuses it
        String topic = kafka.newTopic(1, Map.of("max.message.bytes", "200"));
        String message = incompressible(2000);

        // When
        Response response = produce(topic, "", message);

        // Then
        assertThat(response.body()).isEqualTo("{}");
        await().untilAsserted(() -> assertThat(gateway.getManagement("/metrics").body())
                .containsPattern("kgw_produce_async_failures_total\\{cluster=\"pixy\",error=\"record_too_large\"} [1-9]"));
    }

    @Test
    void kafkaErrorsWithoutAClientMeaningAre500NamingKafkasError() {
        // A compacted topic refuses records without a key.
        String topic = kafka.newTopic(1, Map.of("cleanup.policy", "compact"));
        Response response = produce(topic, "?sync", "no key");
        assertThat(response.status()).as(response.toString()).isEqualTo(500);
        assertThat(response.error()).startsWith("INVALID_RECORD");
    }

    @Test
    void parameterNamesAreCaseSensitiveAsInKafkaPixy() {
        String topic = kafka.newTopic(4);
        Response response = produce(topic, "?SYNC&Key=bar", "m");
        assertThat(response.body()).as("SYNC is not sync").isEqualTo("{}");
        assertThat(kafka.records(topic, 1).get(0).key()).as("Key is not key").isNull();
    }

    @Test
    void malformedEncodingIs400WithAJsonError() {
        String topic = kafka.newTopic(1);
        String badQuery = gateway.raw("POST /topics/" + topic + "/messages?key=%zz HTTP/1.1\r\nHost: gw\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 1\r\nConnection: close\r\n\r\nm");
        String badPath = gateway.raw("POST /topics/fo%zzo/messages HTTP/1.1\r\nHost: gw\r\n"
                + "Content-Type: text/plain\r\nContent-Length: 1\r\nConnection: close\r\n\r\nm");
        Response badForm = gateway.post("/topics/" + topic + "/messages", "application/x-www-form-urlencoded", "msg=%zz");
        assertThat(badQuery).startsWith("HTTP/1.1 400").contains("{\"error\":\"malformed");
        assertThat(badPath).startsWith("HTTP/1.1 400").contains("application/json").contains("{\"error\":");
        assertThat(badForm.status()).isEqualTo(400);
        assertThat(badForm.error()).containsIgnoringCase("hex");
        assertThat(kafka.endOffsets(topic)).isEqualTo(Map.of(0, 0L));
    }

    @Test
    void aDeclaredBodyAboveTheLimitIsRefusedBeforeItIsRead() {
        Response response = gateway.post("/topics/any/messages", "text/plain", "x".repeat(1_000_001));
        assertThat(response.status()).isEqualTo(413);
        assertThat(response.error()).contains("1000001 bytes", "producer.max_message_bytes");
    }

    private static String incompressible(int length) {
        StringBuilder text = new StringBuilder();
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }
}
