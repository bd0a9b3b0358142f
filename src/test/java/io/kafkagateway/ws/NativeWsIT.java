package io.kafkagateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.kafkagateway.grpc.v1.Credits;
import io.kafkagateway.grpc.v1.InitialOffset;
import io.kafkagateway.grpc.v1.ProduceRequest;
import io.kafkagateway.grpc.v1.SocketProduce;
import io.kafkagateway.grpc.v1.SocketRequest;
import io.kafkagateway.grpc.v1.SocketResponse;
import io.kafkagateway.grpc.v1.Subscribe;
import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.WsClient;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.common.BrokerConfig;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The native WebSocket dialect (groups, acknowledgements, credits, produce; JSON and binary) on a real broker. */
@ExtendWith(KafkaClusterExtension.class)
class NativeWsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @BrokerConfig(name = "auto.create.topics.enable", value = "false")
    static KafkaCluster cluster;
    static KafkaProbe kafka;
    static GatewayTester gateway;
    static WsClient ws;

    @BeforeAll
    static void start() {
        kafka = new KafkaProbe(cluster.getBootstrapServers());
        gateway = GatewayTester.start("proxies:\n  default:\n    kafka: {seed_peers: [" + cluster.getBootstrapServers() + "]}\n"
                + "    consumer: {long_polling_timeout: 500ms, offsets_commit_interval: 100ms, initial_offset: earliest}\n"
                + "websocket: {max_frame_bytes: 65536, native: {max_credits: 50}}\n");
        ws = new WsClient(gateway.baseUrl());
    }

    @AfterAll
    static void stop() {
        ws.close();
        gateway.close();
        kafka.close();
    }

    private static JsonNode next(WsClient.Conn conn) throws Exception {
        return JSON.readTree(conn.text());
    }

    /** The next frame of {@code type}, skipping others (returned frames keep their order). */
    private static JsonNode next(WsClient.Conn conn, String type) throws Exception {
        while (true) {
            JsonNode frame = next(conn);
            if (frame.path("type").asText().equals(type)) {
                return frame;
            }
        }
    }

    private static void produce(String topic, int count) {
        for (int i = 0; i < count; i++) {
            assertThat(gateway.post("/topics/" + topic + "/messages?sync", "text/plain", "m" + i).status()).isEqualTo(200);
        }
    }

    private static long committed(String topic, String group) {
        return gateway.get("/topics/" + topic + "/offsets?group=" + group).json().get(0).get("offset").asLong();
    }

    private static String subscribe(String group, String topic, int credits, boolean autoAck) {
        return "{\"type\":\"subscribe\",\"group\":\"" + group + "\",\"topics\":[\"" + topic + "\"],\"credits\":" + credits
                + ",\"autoAck\":" + autoAck + "}";
    }

    private static String ack(JsonNode message) {
        return "{\"type\":\"ack\",\"topic\":\"" + message.get("topic").asText() + "\",\"partition\":"
                + message.get("partition").asInt() + ",\"offset\":" + message.get("offset").asLong() + "}";
    }

    @Test
    void produceAndConsumeOnOneSocketWithCreditsAndAcks() throws Exception {
        // Given
        String topic = kafka.newTopic(1);
        String group = "g-" + UUID.randomUUID();
        WsClient.Conn conn = ws.connect("/ws?encoding=text");

        // When: five messages produced over the socket, two credits
        for (int i = 0; i < 5; i++) {
            conn.send("{\"type\":\"produce\",\"id\":\"p" + i + "\",\"topic\":\"" + topic + "\",\"key\":\"k\",\"value\":\"hello " + i
                    + "\",\"headers\":[{\"key\":\"trace\",\"value\":\"t" + i + "\"}]}");
        }
        List<JsonNode> produced = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            produced.add(next(conn, "produced"));
        }
        conn.send(subscribe(group, topic, 2, false));

        // Then: results in order, then exactly two messages until more credits come
        assertThat(produced).extracting(p -> p.get("id").asText()).containsExactly("p0", "p1", "p2", "p3", "p4");
        assertThat(produced).extracting(p -> p.get("offset").asLong()).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(next(conn).get("type").asText()).isEqualTo("subscribed");
        JsonNode first = next(conn, "message");
        JsonNode second = next(conn, "message");
        assertThat(first.get("value").asText()).isEqualTo("hello 0");
        assertThat(first.get("key").asText()).isEqualTo("k");
        assertThat(first.get("headers").get(0).get("value").asText()).isEqualTo("t0");
        assertThat(first.get("timestamp").asLong()).isPositive();
        assertThat(conn.texts.poll(1500, TimeUnit.MILLISECONDS)).as("no third message without credits").isNull();

        conn.send("{\"type\":\"credits\",\"count\":3}");
        List<JsonNode> rest = List.of(next(conn, "message"), next(conn, "message"), next(conn, "message"));
        assertThat(rest).extracting(m -> m.get("offset").asLong()).containsExactly(2L, 3L, 4L);

        // And acknowledgements commit
        conn.send(ack(first));
        conn.send(ack(second));
        rest.forEach(m -> conn.send(ack(m)));
        await().untilAsserted(() -> assertThat(committed(topic, group)).isEqualTo(5));
        conn.close();
    }

    @Test
    void whatADroppedSocketDidNotAcknowledgeComesBackAtOnce() throws Exception {
        // Given: a socket took three messages, acknowledged the first, then dropped (ack_timeout is 5 minutes)
        String topic = kafka.newTopic(1);
        produce(topic, 3);
        String group = "g-" + UUID.randomUUID();
        WsClient.Conn first = ws.connect("/ws");
        first.send(subscribe(group, topic, 3, false));
        JsonNode m0 = next(first, "message");
        next(first, "message");
        next(first, "message");
        first.send(ack(m0));
        await().untilAsserted(() -> assertThat(committed(topic, group)).isEqualTo(1));

        // When
        first.close();

        // Then
        WsClient.Conn second = ws.connect("/ws");
        long started = System.nanoTime();
        second.send(subscribe(group, topic, 10, false));
        List<Long> offsets = List.of(next(second, "message").get("offset").asLong(), next(second, "message").get("offset").asLong());
        assertThat(offsets).containsExactlyInAnyOrder(1L, 2L);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        second.close();
    }

    @Test
    void autoAckCommitsWithoutAcks() throws Exception {
        String topic = kafka.newTopic(1);
        produce(topic, 2);
        String group = "g-" + UUID.randomUUID();
        WsClient.Conn conn = ws.connect("/ws");
        conn.send(subscribe(group, topic, 2, true));
        JsonNode m = next(conn, "message");
        assertThat(new String(java.util.Base64.getDecoder().decode(m.get("value").asText()), StandardCharsets.UTF_8)).isEqualTo("m0");
        next(conn, "message");
        await().untilAsserted(() -> assertThat(committed(topic, group)).isEqualTo(2));
        conn.close();
    }

    @Test
    void aBatchingSubscriptionGetsMessagesReadyTogetherInOneFrameWithinItsCredits() throws Exception {
        // Given: ten messages waiting
        String topic = kafka.newTopic(1);
        produce(topic, 10);
        String group = "g-" + UUID.randomUUID();
        WsClient.Conn conn = ws.connect("/ws?encoding=text");

        // When: seven credits, batches
        conn.send("{\"type\":\"subscribe\",\"group\":\"" + group + "\",\"topics\":[\"" + topic
                + "\"],\"credits\":7,\"autoAck\":true,\"batch\":true}");

        // Then: frames of several messages, in order, seven in all
        List<Long> offsets = new ArrayList<>();
        int frames = 0;
        while (offsets.size() < 7) {
            JsonNode batch = next(conn, "messages");
            frames++;
            batch.get("messages").forEach(m -> offsets.add(m.get("offset").asLong()));
        }
        assertThat(offsets).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(frames).as("ready messages travel together").isLessThan(7);
        assertThat(conn.texts.poll(1000, TimeUnit.MILLISECONDS)).as("no message beyond the credits").isNull();
        conn.close();
    }

    @Test
    void aBatchLargerThanTheFrameLimitArrivesAsOneMessageInSeveralFrames() throws Exception {
        // Given: 100 messages of 10 kB (max_frame_bytes 65536, so frames of at most 262,144 bytes go out)
        String topic = kafka.newTopic(1);
        String big = "é".repeat(5_000);
        for (int i = 0; i < 100; i++) {
            assertThat(gateway.post("/topics/" + topic + "/messages?sync", "text/plain", i + big).status()).isEqualTo(200);
        }
        WsClient.Conn conn = ws.connect("/ws?encoding=text");

        // When
        conn.send("{\"type\":\"subscribe\",\"group\":\"g-" + UUID.randomUUID() + "\",\"topics\":[\"" + topic
                + "\"],\"credits\":50,\"autoAck\":true,\"batch\":true}");
        List<String> values = new ArrayList<>();
        int largest = 0;
        while (values.size() < 50) {
            String text = conn.text();
            JsonNode frame = JSON.readTree(text);
            if (frame.path("type").asText().equals("messages")) {
                largest = Math.max(largest, text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
                frame.get("messages").forEach(m -> values.add(m.get("value").asText()));
            }
        }

        // Then: every message whole and in order, some carried by a message split into continuation frames
        assertThat(largest).as("bytes of the largest batch message, beyond one frame").isGreaterThan(262_144);
        for (int i = 0; i < values.size(); i++) {
            assertThat(values.get(i)).isEqualTo(i + big);
        }
        conn.close();
    }

    @Test
    void unsubscribeOffersWhatWasNotAcknowledgedAndAllowsANewSubscription() throws Exception {
        String topic = kafka.newTopic(1);
        produce(topic, 1);
        String group = "g-" + UUID.randomUUID();
        WsClient.Conn conn = ws.connect("/ws");
        conn.send(subscribe(group, topic, 1, false));
        assertThat(next(conn, "message").get("offset").asLong()).isZero();
        conn.send("{\"type\":\"unsubscribe\"}");
        JsonNode unsubscribed = next(conn, "unsubscribed");
        assertThat(unsubscribed.has("error")).isFalse();
        conn.send(subscribe(group, topic, 1, false));
        assertThat(next(conn, "message").get("offset").asLong()).as("offered again").isZero();
        conn.close();
    }

    @Test
    void binaryFramingCarriesTheSameOperations() throws Exception {
        String topic = kafka.newTopic(1);
        String group = "g-" + UUID.randomUUID();
        WsClient.Conn conn = ws.connect("/ws?format=binary");
        conn.send(Buffer.buffer(SocketRequest.newBuilder().setProduce(SocketProduce.newBuilder().setId("x")
                .setMessage(ProduceRequest.newBuilder().setTopic(topic).setKeyUndefined(true).setValue(ByteString.copyFromUtf8("bin")))).build().toByteArray()));
        SocketResponse produced = SocketResponse.parseFrom(conn.binary().getBytes());
        assertThat(produced.getProduced().getId()).isEqualTo("x");
        assertThat(produced.getProduced().hasError()).isFalse();

        conn.send(Buffer.buffer(SocketRequest.newBuilder().setSubscribe(Subscribe.newBuilder().setGroup(group).addTopics(topic)
                .setInitialOffset(InitialOffset.INITIAL_OFFSET_EARLIEST)).build().toByteArray()));
        assertThat(SocketResponse.parseFrom(conn.binary().getBytes()).hasSubscribed()).isTrue();
        conn.send(Buffer.buffer(SocketRequest.newBuilder().setCredits(Credits.newBuilder().setCount(1)).build().toByteArray()));
        SocketResponse message = SocketResponse.parseFrom(conn.binary().getBytes());
        assertThat(message.getMessage().getValue().toStringUtf8()).isEqualTo("bin");
        assertThat(message.getMessage().getKeyUndefined()).isTrue();

        conn.send("{\"type\":\"credits\",\"count\":1}");
        SocketResponse wrongFraming = SocketResponse.parseFrom(conn.binary().getBytes());
        assertThat(wrongFraming.getError().getMessage()).contains("binary protobuf frames");
        conn.close();
    }

    @Test
    void aFailingProduceGetsItsOwnErrorAndTheSocketGoesOn() throws Exception {
        String topic = kafka.newTopic(1);
        WsClient.Conn conn = ws.connect("/ws?encoding=text");
        conn.send("{\"type\":\"produce\",\"id\":\"a\",\"topic\":\"no-such-topic\",\"value\":\"x\"}");
        conn.send("{\"type\":\"produce\",\"id\":\"b\",\"topic\":\"" + topic + "\",\"value\":\"y\"}");
        JsonNode a = next(conn, "produced");
        JsonNode b = next(conn, "produced");
        assertThat(a.get("id").asText()).isEqualTo("a");
        assertThat(a.get("error").get("code").asText()).isEqualTo("UNKNOWN_TOPIC_OR_PARTITION");
        assertThat(b.get("offset").asLong()).isZero();
        conn.close();
    }

    @Test
    void badFramesGetAnErrorFrameAndTheSocketStaysOpen() throws Exception {
        WsClient.Conn conn = ws.connect("/ws");
        List<String> bad = List.of("not json", "[1]", "{\"type\":\"dance\"}", "{\"type\":\"credits\",\"count\":-1}",
                "{\"type\":\"credits\",\"count\":1}", "{\"type\":\"ack\",\"topic\":\"t\",\"partition\":0,\"offset\":1}",
                "{\"type\":\"subscribe\",\"group\":\"g\",\"topics\":[\"t\"],\"credit\":3}",
                "{\"type\":\"subscribe\",\"group\":\"\",\"topics\":[\"t\"]}",
                "{\"type\":\"subscribe\",\"group\":\"g\",\"topics\":[\"bad topic\"]}",
                "{\"type\":\"produce\",\"topic\":\"t\",\"value\":\"not base64!\"}",
                "{\"type\":\"produce\",\"topic\":\"t\"}");
        List<String> expected = List.of("JSON object", "JSON object", "unknown frame type 'dance'", "\"count\" must be",
                "not subscribed", "not subscribed", "unknown field \"credit\"", "group must not be empty",
                "invalid topic name", "invalid base64 in value", "needs \"value\"");
        for (int i = 0; i < bad.size(); i++) {
            conn.send(bad.get(i));
            JsonNode error = next(conn);
            assertThat(error.get("type").asText()).isEqualTo("error");
            assertThat(error.get("error").get("code").asText()).isEqualTo("INVALID_REQUEST");
            assertThat(error.get("error").get("message").asText()).as("answer to %s", bad.get(i)).contains(expected.get(i));
        }
        conn.send(Buffer.buffer(new byte[] {1, 2, 3}));
        assertThat(next(conn).get("error").get("message").asText()).contains("JSON text frames");
        assertThat(conn.closed).isNotDone();
        conn.close();
    }

    @Test
    void aSubscriptionToAMissingTopicEndsWithTheReasonAndAnotherMayFollow() throws Exception {
        String topic = kafka.newTopic(1);
        produce(topic, 1);
        WsClient.Conn conn = ws.connect("/ws");
        conn.send(subscribe("g-" + UUID.randomUUID(), "no-such-topic", 1, false));
        JsonNode ended = next(conn, "unsubscribed");
        assertThat(ended.get("error").get("code").asText()).isEqualTo("UNKNOWN_TOPIC_OR_PARTITION");
        conn.send(subscribe("g-" + UUID.randomUUID(), topic, 1, false));
        assertThat(next(conn, "message").get("offset").asLong()).isZero();
        conn.send(subscribe("g-" + UUID.randomUUID(), topic, 1, false));
        assertThat(next(conn, "error").get("error").get("message").asText()).contains("already subscribed");
        conn.close();
    }

    @Test
    void creditsAboveTheConfiguredMaximumAreCapped() throws Exception {
        String topic = kafka.newTopic(1);
        produce(topic, 60);
        WsClient.Conn conn = ws.connect("/ws");
        conn.send(subscribe("g-" + UUID.randomUUID(), topic, 1000, true));
        for (int i = 0; i < 50; i++) {
            next(conn, "message");
        }
        assertThat(conn.texts.poll(1500, TimeUnit.MILLISECONDS)).as("max_credits is 50").isNull();
        conn.close();
    }

    @Test
    void theLargestCreditGrantsCapAtTheMaximumAndMessagesKeepFlowing() throws Exception {
        // Given: a subscription without credits, then the largest grant a frame can carry, twice (their sum overflows)
        String topic = kafka.newTopic(1);
        produce(topic, 60);
        WsClient.Conn conn = ws.connect("/ws");
        conn.send(subscribe("g-" + UUID.randomUUID(), topic, 0, true));
        next(conn, "subscribed");
        conn.send("{\"type\":\"credits\",\"count\":" + Long.MAX_VALUE + "}");
        conn.send("{\"type\":\"credits\",\"count\":" + Long.MAX_VALUE + "}");

        // Then: the socket holds max_credits, so 50 messages come and no more; granting more lets the rest come
        for (int i = 0; i < 50; i++) {
            next(conn, "message");
        }
        assertThat(conn.texts.poll(1000, TimeUnit.MILLISECONDS)).as("max_credits is 50").isNull();
        conn.send("{\"type\":\"credits\",\"count\":10}");
        for (int i = 0; i < 10; i++) {
            next(conn, "message");
        }
        conn.close();
    }

    @Test
    void badHandshakesAndOversizeFrames() throws Exception {
        assertThat(ws.refusal("/ws?format=xml")).isEqualTo(400);
        assertThat(ws.refusal("/ws?encoding=hex")).isEqualTo(400);
        assertThat(ws.refusal("/ws?format=binary&encoding=text")).isEqualTo(400);
        assertThat(ws.refusal("/clusters/nope/ws")).isEqualTo(400);
        assertThat(gateway.get("/ws").status()).isEqualTo(400);

        WsClient.Conn conn = ws.connect("/clusters/default/ws");
        conn.send("{\"type\":\"produce\",\"topic\":\"t\",\"value\":\"" + "a".repeat(70_000) + "\"}");
        assertThat(conn.awaitClose().code()).as("max_frame_bytes is 65536").isEqualTo((short) 1009);

        WsClient.Conn huge = ws.connect("/ws");
        huge.socket.writeTextMessage("x".repeat(300_000));
        assertThat(huge.awaitClose().code()).as("a single frame above four times the limit is refused with a close frame too")
                .isEqualTo((short) 1009);
    }

    @Test
    void websocketAddrServesTheDialectsOnTheirOwnListener() throws Exception {
        int port = io.kafkagateway.testing.FreePorts.next();
        String topic = kafka.newTopic(1);
        try (GatewayTester separate = GatewayTester.start("proxies:\n  default:\n    kafka: {seed_peers: [" + cluster.getBootstrapServers()
                + "]}\nwebsocket: {addr: 127.0.0.1:" + port + "}\n"); WsClient client = new WsClient("http://127.0.0.1:" + port);
             WsClient onRest = new WsClient(separate.baseUrl())) {
            WsClient.Conn conn = client.connect("/ws?encoding=text");
            conn.send("{\"type\":\"produce\",\"id\":\"1\",\"topic\":\"" + topic + "\",\"value\":\"own port\"}");
            assertThat(next(conn, "produced").get("offset").asLong()).isZero();
            conn.close();
            assertThat(onRest.refusal("/ws")).as("the REST port no longer serves WebSockets").isEqualTo(404);
            assertThat(client.refusal("/topics")).as("the WebSocket port serves no REST").isEqualTo(404);
        }
    }

    @Test
    void theConnectionLimitRefusesWith503() throws Exception {
        try (GatewayTester small = GatewayTester.start("proxies:\n  default:\n    kafka: {seed_peers: [" + cluster.getBootstrapServers()
                + "]}\nwebsocket: {max_connections: 1}\n"); WsClient client = new WsClient(small.baseUrl())) {
            WsClient.Conn only = client.connect("/ws");
            assertThat(client.refusal("/ws")).isEqualTo(503);
            only.close();
            await().untilAsserted(() -> client.connect("/ws").close());
        }
    }
}
