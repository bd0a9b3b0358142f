package io.kafkagateway.ws;

import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.WsClient;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.common.BrokerConfig;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import io.vertx.core.buffer.Buffer;
import org.apache.apisix.api.pubsub.CmdEmpty;
import org.apache.apisix.api.pubsub.KafkaMessage;
import org.apache.apisix.api.pubsub.PubSubReq;
import org.apache.apisix.api.pubsub.PubSubResp;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.kafkagateway.ws.ApisixClient.fetch;
import static io.kafkagateway.ws.ApisixClient.listOffset;
import static io.kafkagateway.ws.ApisixClient.ping;
import static io.kafkagateway.ws.ApisixClient.text;
import static org.assertj.core.api.Assertions.assertThat;

/** The APISIX pub-sub dialect: its commands, errors and framing, with a real WebSocket client and broker. */
@ExtendWith(KafkaClusterExtension.class)
class ApisixWsIT {

    @BrokerConfig(name = "auto.create.topics.enable", value = "false")
    static KafkaCluster cluster;
    /** testmsg1..testmsg30 at offsets 0..29. */
    static String topic;
    static GatewayTester gateway;
    /** Fetches of at most 20 bytes: two of the test messages. */
    static GatewayTester small;
    static WsClient ws;
    static WsClient wsSmall;
    ApisixClient client;

    @BeforeAll
    static void start() {
        topic = ApisixClient.filledTopic(cluster.getKafkaClientConfiguration(), 30);
        String proxies = "proxies:\n  default:\n    kafka: {seed_peers: [" + cluster.getBootstrapServers() + "]}\n";
        gateway = GatewayTester.start(proxies);
        small = GatewayTester.start(proxies + "websocket: {apisix: {max_fetch_bytes: 20}}\n");
        ws = new WsClient(gateway.baseUrl());
        wsSmall = new WsClient(small.baseUrl());
    }

    @AfterAll
    static void stop() {
        ws.close();
        wsSmall.close();
        gateway.close();
        small.close();
    }

    @BeforeEach
    void connect() {
        client = new ApisixClient(ws, "/kafka");
    }

    @AfterEach
    void disconnect() {
        client.close();
    }

    @Test
    void listOffsetOfAnUnknownTopicNamesIt() throws Exception {
        assertThat(client.error(listOffset("not-exist", 0, -1)))
                .isEqualTo("failed to list offset, topic: not-exist, partition: 0, err: not found topic");
    }

    @Test
    void fetchOfAnUnknownTopicNamesIt() throws Exception {
        assertThat(client.error(fetch("not-exist", 0, 0)))
                .isEqualTo("failed to fetch message, topic: not-exist, partition: 0, err: not found topic");
    }

    @Test
    void aPartitionTheTopicDoesNotHaveIsNotFound() throws Exception {
        assertThat(client.error(listOffset(topic, 5, -1)))
                .isEqualTo("failed to list offset, topic: " + topic + ", partition: 5, err: not found topic");
        assertThat(client.error(fetch(topic, -1, 0)))
                .isEqualTo("failed to fetch message, topic: " + topic + ", partition: -1, err: not found topic");
    }

    @Test
    void listOffsetFindsEarliestLatestAndByTime() throws Exception {
        assertThat(client.offset(topic, 0, -2)).as("earliest").isZero();
        assertThat(client.offset(topic, 0, -1)).as("latest: the next offset to be written").isEqualTo(30);
        assertThat(client.offset(topic, 0, 9_999_999_999_999L)).as("after every message").isEqualTo(-1);
        assertThat(client.offset(topic, 0, 1_500_000_000_000L)).as("before every message").isZero();
    }

    @Test
    void fetchReturnsTheRecordsFromTheOffsetOn() throws Exception {
        List<KafkaMessage> messages = client.messages(topic, 0, 14);
        assertThat(messages).isNotEmpty();
        KafkaMessage first = messages.get(0);
        assertThat(first.getOffset()).isEqualTo(14);
        assertThat(text(first.getValue())).isEqualTo("testmsg15");
        assertThat(first.getKey().isEmpty()).as("no key: empty").isTrue();
        assertThat(first.getTimestamp()).isGreaterThan(1_500_000_000_000L);
        for (int i = 0; i < messages.size(); i++) {
            assertThat(messages.get(i).getOffset()).isEqualTo(14 + i);
            assertThat(text(messages.get(i).getValue())).isEqualTo("testmsg" + (15 + i));
        }
    }

    @Test
    void fetchPastTheEndIsOutOfRangeAndNotReset() throws Exception {
        assertThat(client.error(fetch(topic, 0, 999)))
                .isEqualTo("failed to fetch message, topic: " + topic + ", partition: 0, err: OFFSET_OUT_OF_RANGE");
        assertThat(client.error(fetch(topic, 0, -5)))
                .isEqualTo("failed to fetch message, topic: " + topic + ", partition: 0, err: OFFSET_OUT_OF_RANGE");
        assertThat(client.messages(topic, 0, 29)).extracting(KafkaMessage::getOffset).containsExactly(29L);
    }

    @Test
    void fetchingOnReadsToTheEndThenAnswersEmpty() throws Exception {
        List<Long> offsets = new ArrayList<>();
        long next = 14;
        while (next < 30) {
            List<KafkaMessage> batch = client.messages(topic, 0, next);
            assertThat(batch).as("records from %d", next).isNotEmpty();
            assertThat(batch.get(0).getOffset()).isEqualTo(next);
            batch.forEach(m -> offsets.add(m.getOffset()));
            next = batch.get(batch.size() - 1).getOffset() + 1;
        }
        assertThat(offsets).containsExactlyElementsOf(java.util.stream.LongStream.range(14, 30).boxed().toList());
        long started = System.nanoTime();
        assertThat(client.messages(topic, 0, 30)).as("at the end: nothing, after fetch_wait").isEmpty();
        assertThat((System.nanoTime() - started) / 1_000_000).isBetween(900L, 4_000L);
    }

    @Test
    void aFetchStaysWithinMaxFetchBytesButHoldsAtLeastOneRecord() throws Exception {
        try (ApisixClient bounded = new ApisixClient(wsSmall, "/kafka")) {
            List<Long> offsets = new ArrayList<>();
            long next = 0;
            while (next < 30) {
                List<KafkaMessage> batch = bounded.messages(topic, 0, next);
                assertThat(batch).as("20 bytes hold one or two 8-9 byte records").hasSizeBetween(1, 2);
                batch.forEach(m -> offsets.add(m.getOffset()));
                next = batch.get(batch.size() - 1).getOffset() + 1;
            }
            assertThat(offsets).containsExactlyElementsOf(java.util.stream.LongStream.range(0, 30).boxed().toList());
            // a record larger than the bound comes alone
            String big = ApisixClient.filledTopic(cluster.getKafkaClientConfiguration(), 0);
            produce(big, "k".getBytes(), "x".repeat(100).getBytes());
            List<KafkaMessage> alone = bounded.messages(big, 0, 0);
            assertThat(alone).hasSize(1);
            assertThat(alone.get(0).getValue().size()).isEqualTo(100);
        }
    }

    @Test
    void keysComeAsBytesAndANullValueAsEmpty() throws Exception {
        String keyed = ApisixClient.filledTopic(cluster.getKafkaClientConfiguration(), 0);
        produce(keyed, "the-key".getBytes(), null);
        KafkaMessage message = client.messages(keyed, 0, 0).get(0);
        assertThat(text(message.getKey())).isEqualTo("the-key");
        assertThat(message.getValue().isEmpty()).isTrue();
    }

    @Test
    void pingEchoesStateAndSequence() throws Exception {
        long seq = client.send(ping("state-42"));
        PubSubResp pong = client.next();
        assertThat(pong.getSequence()).isEqualTo(seq);
        assertThat(pong.hasPongResp()).isTrue();
        assertThat(text(pong.getPongResp().getState())).isEqualTo("state-42");
    }

    @Test
    void anEmptyCommandIsUnknown() throws Exception {
        assertThat(client.error(PubSubReq.newBuilder().setCmdEmpty(CmdEmpty.getDefaultInstance()))).isEqualTo("unknown command");
    }

    @Test
    void pipelinedCommandsAreAnsweredInOrderWithTheirSequences() throws Exception {
        long fetchSeq = client.send(fetch(topic, 0, 3));
        long listSeq = client.send(listOffset(topic, 0, -1));
        long pingSeq = client.send(ping("after"));
        PubSubResp first = client.next();
        PubSubResp second = client.next();
        PubSubResp third = client.next();
        assertThat(List.of(first.getSequence(), second.getSequence(), third.getSequence()))
                .containsExactly(fetchSeq, listSeq, pingSeq);
        assertThat(first.getKafkaFetchResp().getMessages(0).getOffset()).isEqualTo(3);
        assertThat(second.getKafkaListOffsetResp().getOffset()).isEqualTo(30);
        assertThat(text(third.getPongResp().getState())).isEqualTo("after");
    }

    @Test
    void manyCommandsAtOnceAreAllAnsweredInOrder() throws Exception {
        // more than the 32 the queue holds before the socket stops reading
        List<Long> sent = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            sent.add(client.send(i % 10 == 0 ? listOffset(topic, 0, -2) : ping("p" + i)));
        }
        List<Long> answered = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            answered.add(client.next().getSequence());
        }
        assertThat(answered).containsExactlyElementsOf(sent);
    }

    @Test
    void aTextFrameIsIgnoredAndTheSocketStillWorks() throws Exception {
        client.conn.send("hello");
        assertThat(text(client.call(ping("still")).getPongResp().getState())).isEqualTo("still");
        assertThat(client.conn.texts).isEmpty();
        assertThat(client.conn.closed).isNotDone();
    }

    @Test
    void aFrameThatDoesNotDecodeGetsNoAnswer() throws Exception {
        client.conn.send(Buffer.buffer(new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff}));
        // the next frame is the ping's answer: nothing came for the garbage
        assertThat(text(client.call(ping("after garbage")).getPongResp().getState())).isEqualTo("after garbage");
        client.assertSilentFor(300);
    }

    @Test
    void aRequestWithoutACommandGetsNoAnswer() throws Exception {
        client.send(PubSubReq.newBuilder());
        client.assertSilentFor(500);
        assertThat(client.call(ping("next")).hasPongResp()).isTrue();
    }

    @Test
    void thePathRefusesPlainHttpAndUnknownClusters() {
        var plain = gateway.get("/kafka");
        assertThat(plain.status()).isEqualTo(400);
        assertThat(plain.error()).contains("WebSocket").contains("apisix");
        assertThat(ws.refusal("/clusters/nope/kafka")).isEqualTo(400);
    }

    @Test
    void theClusterPathReachesTheNamedCluster() throws Exception {
        try (ApisixClient named = new ApisixClient(ws, "/clusters/default/kafka")) {
            assertThat(named.offset(topic, 0, -1)).isEqualTo(30);
        }
    }

    private static void produce(String to, byte[] key, byte[] value) throws Exception {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", cluster.getBootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(to, key, value)).get();
        }
    }
}
