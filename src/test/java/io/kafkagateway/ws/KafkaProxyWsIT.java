package io.kafkagateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.RestConsumer;
import io.kafkagateway.testing.WsClient;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.common.BrokerConfig;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The kafka-proxy dialect (spec A, scenarios K1-K10 and the two fixes) with a real WebSocket client and broker. */
@ExtendWith(KafkaClusterExtension.class)
class KafkaProxyWsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BrokerConfig(name = "auto.create.topics.enable", value = "false")
    static KafkaCluster cluster;
    static KafkaProbe kafka;
    static GatewayTester gateway;
    /** Secret "s3cret" and 100-byte batches. */
    static GatewayTester guarded;
    static WsClient ws;
    static WsClient wsGuarded;

    @BeforeAll
    static void start() {
        kafka = new KafkaProbe(cluster.getBootstrapServers());
        String proxies = "proxies:\n  default:\n    kafka: {seed_peers: [" + cluster.getBootstrapServers() + "]}\n";
        gateway = GatewayTester.start(proxies + "websocket: {kafka_proxy: {idle_timeout: 200ms}}\n");
        guarded = GatewayTester.start(proxies + "websocket: {kafka_proxy: {idle_timeout: 200ms, auth: s3cret, max_bytes: 100}}\n");
        ws = new WsClient(gateway.baseUrl());
        wsGuarded = new WsClient(guarded.baseUrl());
    }

    @AfterAll
    static void stop() {
        ws.close();
        wsGuarded.close();
        gateway.close();
        guarded.close();
        kafka.close();
    }

    private static void produce(GatewayTester to, String topic, String key, String... values) {
        for (String value : values) {
            String keyParam = key == null ? "" : "&key=" + key;
            assertThat(to.post("/topics/" + topic + "/messages?sync" + keyParam, "text/plain", value).status()).isEqualTo(200);
        }
    }

    private static List<JsonNode> batch(WsClient.Conn conn) throws Exception {
        JsonNode frame = JSON.readTree(conn.text());
        assertThat(frame.isArray()).as("a batch is a JSON array: %s", frame).isTrue();
        List<JsonNode> messages = new ArrayList<>();
        frame.forEach(messages::add);
        return messages;
    }

    /** Reads batches until {@code count} messages came; returns them in arrival order. */
    private static List<JsonNode> messages(WsClient.Conn conn, int count) throws Exception {
        List<JsonNode> messages = new ArrayList<>();
        while (messages.size() < count) {
            messages.addAll(batch(conn));
        }
        return messages;
    }

    private static long committed(GatewayTester on, String topic, String group, int partition) {
        return on.get("/topics/" + topic + "/offsets?group=" + group).json().get(partition).get("offset").asLong();
    }

    /** Waits until the socket pinned its start (committed), so that messages produced next are not "before latest". */
    private static void awaitStreaming(GatewayTester on, String topic, String group, int partition) {
        await().untilAsserted(() -> assertThat(committed(on, topic, group, partition)).isGreaterThanOrEqualTo(0));
    }

    @Test
    void k1BatchesAreJsonArraysInOffsetOrder() throws Exception {
        // Given
        String topic = kafka.newTopic(1);
        String group = "g-" + UUID.randomUUID();
        WsClient.Conn conn = ws.connect("/?topic=" + topic + "&consumerGroup=" + group);
        awaitStreaming(gateway, topic, group, 0);

        // When
        produce(gateway, topic, null, "one", "two", "three");

        // Then
        List<JsonNode> messages = messages(conn, 3);
        assertThat(messages).extracting(m -> m.get("message").asText()).containsExactly("one", "two", "three");
        assertThat(messages).extracting(m -> m.get("offset").asLong()).containsExactly(0L, 1L, 2L);
        assertThat(messages.get(0).size()).as("fields of a message").isEqualTo(2);
        conn.close();
    }

    @Test
    void k2AnOffsetStartsExactlyThere() throws Exception {
        String topic = kafka.newTopic(1);
        produce(gateway, topic, null, "m0", "m1", "m2", "m3", "m4", "m5", "m6");
        WsClient.Conn conn = ws.connect("/?topic=" + topic + "&consumerGroup=g-" + UUID.randomUUID() + "&offset=5");
        List<JsonNode> messages = messages(conn, 2);
        assertThat(messages).extracting(m -> m.get("offset").asLong()).containsExactly(5L, 6L);
        assertThat(messages.get(0).get("message").asText()).isEqualTo("m5");
        conn.close();
    }

    @Test
    void k3AReconnectWithoutOffsetResumesAfterTheLastBatch() throws Exception {
        // Given: a socket took offsets 0..3 and closed
        String topic = kafka.newTopic(1);
        String group = "g-" + UUID.randomUUID();
        produce(gateway, topic, null, "m0", "m1", "m2", "m3");
        WsClient.Conn first = ws.connect("/?topic=" + topic + "&consumerGroup=" + group + "&offset=0");
        assertThat(messages(first, 4)).extracting(m -> m.get("offset").asLong()).endsWith(3L);
        first.close();
        await().untilAsserted(() -> assertThat(committed(gateway, topic, group, 0)).isEqualTo(4));

        // When
        produce(gateway, topic, null, "m4");
        WsClient.Conn second = ws.connect("/?topic=" + topic + "&consumerGroup=" + group);

        // Then
        assertThat(batch(second).get(0).get("offset").asLong()).isEqualTo(4);
        second.close();
    }

    @Test
    void k4WithASecretTheUpgradeNeedsIt() {
        String topic = kafka.newTopic(1);
        assertThat(wsGuarded.refusal("/?topic=" + topic)).isEqualTo(401);
        assertThat(wsGuarded.refusal("/?topic=" + topic, "Authorization", "basic wrong")).isEqualTo(401);
        assertThat(wsGuarded.refusal("/?topic=" + topic, "Authorization", "Bearer s3cret")).isEqualTo(401);
        assertThat(wsGuarded.refusal("/?topic=" + topic, "Authorization", "basic czNjcmV0")).as("base64 is not the secret").isEqualTo(401);
    }

    @Test
    void k5BothCasesOfBasicPass() throws Exception {
        String topic = kafka.newTopic(1);
        produce(guarded, topic, null, "hello");
        for (String scheme : List.of("basic ", "Basic ")) {
            WsClient.Conn conn = wsGuarded.connect("/?topic=" + topic + "&consumerGroup=g-" + UUID.randomUUID() + "&offset=0",
                    "Authorization", scheme + "s3cret");
            assertThat(batch(conn).get(0).get("message").asText()).isEqualTo("hello");
            conn.close();
        }
    }

    @Test
    void k6ASecondSocketOnTheGroupAndTopicClosesTheFirst() throws Exception {
        String topic = kafka.newTopic(1);
        String group = "g-" + UUID.randomUUID();
        produce(gateway, topic, null, "m0", "m1");
        WsClient.Conn first = ws.connect("/?topic=" + topic + "&consumerGroup=" + group + "&offset=0");
        assertThat(messages(first, 2)).hasSize(2);

        WsClient.Conn second = ws.connect("/?topic=" + topic + "&consumerGroup=" + group);

        WsClient.Closed closed = first.awaitClose();
        assertThat(closed.code()).isEqualTo((short) 4409);
        assertThat(closed.reason()).contains("another socket");
        // the first committed its place before the second started: the second begins after it
        produce(gateway, topic, null, "m2");
        assertThat(batch(second).get(0).get("offset").asLong()).isEqualTo(2);
        second.close();
    }

    @Test
    void socketsOnTwoPartitionsOfOneGroupAndTopicBothStayOpen() throws Exception {
        // Given: keys "1" and "2" land on partitions 0 and 1
        String topic = kafka.newTopic(2);
        String group = "g-" + UUID.randomUUID();
        produce(gateway, topic, "1", "on p0");
        produce(gateway, topic, "2", "on p1");

        // When: a socket for each partition of the same group and topic
        WsClient.Conn p0 = ws.connect("/?topic=" + topic + "&consumerGroup=" + group + "&partition=0&offset=0");
        WsClient.Conn p1 = ws.connect("/?topic=" + topic + "&consumerGroup=" + group + "&partition=1&offset=0");

        // Then: each reads its own partition and neither closes the other
        assertThat(batch(p0).get(0).get("message").asText()).isEqualTo("on p0");
        assertThat(batch(p1).get(0).get("message").asText()).isEqualTo("on p1");
        produce(gateway, topic, "1", "again on p0");
        assertThat(batch(p0).get(0).get("message").asText()).isEqualTo("again on p0");
        assertThat(p0.closed).isNotDone();
        assertThat(p1.closed).isNotDone();
        p0.close();
        p1.close();
    }

    @Test
    void aSocketOnAGroupTheConsumerEngineConsumesIsClosedAndLeavesTheGroupsOffsetsAlone() throws Exception {
        // Given: a group consumed over REST, with a message handed out and not acknowledged
        String topic = kafka.newTopic(1);
        String group = "g-" + UUID.randomUUID();
        produce(gateway, topic, null, "m0", "m1", "m2");
        RestConsumer rest = new RestConsumer(gateway, null, topic, group);
        RestConsumer.Message pending = rest.next("&noAck&initialOffset=earliest");
        assertThat(pending.offset()).isZero();

        // When: a kafka-proxy socket names the same group and reads on past it
        WsClient.Conn socket = ws.connect("/?topic=" + topic + "&consumerGroup=" + group + "&offset=0");

        // Then: the socket is closed, saying why, and the member's pending message is still pending and committed
        WsClient.Closed closed = socket.awaitClose();
        assertThat(closed.code()).isEqualTo((short) 4409);
        assertThat(closed.reason()).contains("group of its own");
        assertThat(rest.ack(0, 0).status()).isEqualTo(200);
        assertThat(rest.next("&noAck").offset()).isEqualTo(1);
        await().untilAsserted(() -> assertThat(committed(gateway, topic, group, 0)).isEqualTo(1));
    }

    @Test
    void k7APartitionParameterReadsOnlyThatPartition() throws Exception {
        String topic = kafka.newTopic(4);
        // keys "1".."4" land on partitions 0..3 with the hash partitioner
        for (String key : List.of("1", "2", "3", "4")) {
            produce(gateway, topic, key, "key " + key);
        }
        WsClient.Conn conn = ws.connect("/?topic=" + topic + "&consumerGroup=g-" + UUID.randomUUID() + "&partition=1&offset=0");
        List<JsonNode> messages = batch(conn);
        assertThat(messages).extracting(m -> m.get("message").asText()).containsExactly("key 2");
        assertThat(conn.texts.poll(700, TimeUnit.MILLISECONDS)).as("nothing from other partitions").isNull();
        conn.close();
    }

    @Test
    void k8WithoutAGroupTheGroupIsDefault() throws Exception {
        String topic = kafka.newTopic(1);
        produce(gateway, topic, null, "m0", "m1", "m2");
        WsClient.Conn conn = ws.connect("/?topic=" + topic + "&offset=0");
        assertThat(messages(conn, 3)).hasSize(3);
        await().untilAsserted(() -> assertThat(committed(gateway, topic, "default", 0)).isEqualTo(3));
        conn.close();
    }

    @Test
    void k9AnUnknownTopicClosesTheSocketWithoutData() throws Exception {
        WsClient.Conn conn = ws.connect("/?topic=no-such-topic&consumerGroup=g");
        WsClient.Closed closed = conn.awaitClose();
        assertThat(closed.code()).isEqualTo((short) 4404);
        assertThat(conn.texts).isEmpty();
    }

    @Test
    void k10OffsetZeroMeansZero() throws Exception {
        // Given: a group that already committed 2
        String topic = kafka.newTopic(1);
        String group = "g-" + UUID.randomUUID();
        produce(gateway, topic, null, "m0", "m1", "m2");
        WsClient.Conn first = ws.connect("/?topic=" + topic + "&consumerGroup=" + group + "&offset=1");
        assertThat(messages(first, 2)).extracting(m -> m.get("offset").asLong()).containsExactly(1L, 2L);
        first.close();

        // When / Then
        WsClient.Conn again = ws.connect("/?topic=" + topic + "&consumerGroup=" + group + "&offset=0");
        assertThat(batch(again).get(0).get("offset").asLong()).isZero();
        again.close();
    }

    @Test
    void aMessageLargerThanTheBatchBoundComesAloneAndTheRestFlows() throws Exception {
        // Given: batches of at most 100 bytes, and a 1,000-byte message between small ones
        String topic = kafka.newTopic(1);
        produce(guarded, topic, null, "a".repeat(30), "b".repeat(30), "c".repeat(1000), "d".repeat(30), "e".repeat(30));

        // When
        WsClient.Conn conn = wsGuarded.connect("/?topic=" + topic + "&consumerGroup=g-" + UUID.randomUUID() + "&offset=0",
                "Authorization", "basic s3cret");

        // Then
        List<List<Long>> batches = new ArrayList<>();
        int seen = 0;
        while (seen < 5) {
            List<Long> offsets = batch(conn).stream().map(m -> m.get("offset").asLong()).toList();
            batches.add(offsets);
            seen += offsets.size();
        }
        assertThat(batches).contains(List.of(2L));
        assertThat(batches.stream().flatMap(List::stream).toList()).containsExactly(0L, 1L, 2L, 3L, 4L);
        conn.close();
    }

    @Test
    void aNullValueIsANullMessage() throws Exception {
        String topic = kafka.newTopic(1);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<byte[], byte[]>(java.util.Map.of(
                "bootstrap.servers", cluster.getBootstrapServers(),
                "key.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer",
                "value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer"))) {
            producer.send(new org.apache.kafka.clients.producer.ProducerRecord<>(topic, "k".getBytes(), null)).get();
        }
        WsClient.Conn conn = ws.connect("/?topic=" + topic + "&offset=0&consumerGroup=g-" + UUID.randomUUID());
        JsonNode message = batch(conn).get(0);
        assertThat(message.get("message").isNull()).isTrue();
        conn.close();
    }

    @Test
    void badParametersAreRefusedAtTheHandshakeNamingTheParameter() {
        String topic = kafka.newTopic(1);
        assertThat(ws.refusal("/")).isEqualTo(400);
        assertThat(ws.refusal("/?topic=" + topic + "&offset=abc")).isEqualTo(400);
        assertThat(ws.refusal("/?topic=" + topic + "&offset=-3")).isEqualTo(400);
        assertThat(ws.refusal("/?topic=" + topic + "&partition=x")).isEqualTo(400);
        assertThat(ws.refusal("/?topic=" + topic + "&topic=other")).isEqualTo(400);
        assertThat(ws.refusal("/?topic=bad%20name")).isEqualTo(400);
        assertThat(ws.refusal("/?topic=" + topic + "&consumerGroup=")).isEqualTo(400);
        assertThat(ws.refusal("/clusters/nope/kafka-proxy?topic=" + topic)).isEqualTo(400);
        var plain = gateway.get("/?topic=" + topic);
        assertThat(plain.status()).isEqualTo(400);
        assertThat(plain.error()).contains("WebSocket");
        var badOffset = gateway.raw("GET /?topic=" + topic + "&offset=abc HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nConnection: close\r\n\r\n");
        assertThat(badOffset).startsWith("HTTP/1.1 400").contains("offset must be a whole number");
    }

    @Test
    void anOffsetPastTheEndClosesWithTheReason() throws Exception {
        String topic = kafka.newTopic(1);
        produce(gateway, topic, null, "only");
        WsClient.Conn conn = ws.connect("/?topic=" + topic + "&offset=99&consumerGroup=g-" + UUID.randomUUID());
        WsClient.Closed closed = conn.awaitClose();
        assertThat(closed.code()).isEqualTo((short) 4400);
        assertThat(closed.reason()).contains("offset 99");
    }

    @Test
    void theClusterPathReachesTheNamedCluster() throws Exception {
        String topic = kafka.newTopic(1);
        produce(gateway, topic, null, "via cluster path");
        WsClient.Conn conn = ws.connect("/clusters/default/kafka-proxy?topic=" + topic + "&offset=0&consumerGroup=g-" + UUID.randomUUID());
        assertThat(batch(conn).get(0).get("message").asText()).isEqualTo("via cluster path");
        conn.close();
    }
}
