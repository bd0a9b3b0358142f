package io.kafkagateway.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.Response;
import io.kafkagateway.testing.RestConsumer;
import io.kafkagateway.testing.RestConsumer.Message;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Several gateways (and a plain Kafka consumer) in one consumer group on a real broker: partitions split by Kafka's
 * group coordinator, offsets and acknowledgements handed over on every move, nothing lost.
 */
@ExtendWith(KafkaClusterExtension.class)
class GroupMembershipIT {

    static KafkaCluster cluster;

    private final List<GatewayTester> gateways = new ArrayList<>();
    private KafkaProbe kafka;
    private String group;

    @BeforeEach
    void setUp() {
        kafka = new KafkaProbe(cluster.getBootstrapServers());
        group = "g-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void tearDown() {
        gateways.forEach(GatewayTester::close);
        kafka.close();
    }

    private GatewayTester gateway(String clientId, String consumer) {
        return gateway(clientId, consumer, "0s");
    }

    private GatewayTester gateway(String clientId, String consumer, String drain) {
        GatewayTester gateway = GatewayTester.start("shutdown_drain: " + drain + "\nproxies:\n  default:\n    client_id: " + clientId
                + "\n    kafka: {seed_peers: [" + cluster.getBootstrapServers() + "]}\n    consumer: {initial_offset: earliest,"
                + " long_polling_timeout: 300ms, offsets_commit_interval: 100ms" + consumer + "}\n");
        gateways.add(gateway);
        return gateway;
    }

    private GatewayTester gateway(String clientId) {
        return gateway(clientId, "");
    }

    private void produce(GatewayTester gateway, String topic, String key, String value) {
        Response response = gateway.post("/topics/" + topic + "/messages?sync" + (key == null ? "" : "&key=" + key), "text/plain", value);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    /** Each member's partitions of {@code topic} in the group, by client id, once the group has settled. */
    private Map<String, List<Integer>> awaitAssignment(GatewayTester gateway, String topic, int members, int partitions) {
        Map<String, List<Integer>> assignment = new java.util.TreeMap<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Response response = gateway.get("/topics/" + topic + "/consumers?group=" + group);
            if (response.status() != 200 || !response.json().has(group)) {
                return false;
            }
            assignment.clear();
            response.json().get(group).properties().forEach(member -> {
                List<Integer> owned = new ArrayList<>();
                member.getValue().forEach(p -> owned.add(p.asInt()));
                assignment.put(member.getKey(), owned);
            });
            return assignment.size() == members && assignment.values().stream().mapToInt(List::size).sum() == partitions;
        });
        return assignment;
    }

    /**
     * Consumes (auto-ack) from each consumer in turn, each until it times out, until {@code count} messages arrived;
     * returns what each consumer received.
     */
    private static List<List<Message>> consumeAll(List<RestConsumer> consumers, int count) {
        List<List<Message>> received = new ArrayList<>();
        consumers.forEach(c -> received.add(new ArrayList<>()));
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (int i = 0; i < consumers.size(); i++) {
                Message message;
                while ((message = consumers.get(i).consume("")) != null) {
                    received.get(i).add(message);
                }
            }
            return received.stream().mapToInt(List::size).sum() >= count;
        });
        return received;
    }

    @Test
    void aTopicAddedToTheGroupTakesNoPartitionAwayFromItsOtherMembersWhichAreStatic() throws Exception {
        // Given: gateway a consumes topic t1 alone, with one message handed out and not yet acknowledged
        String t1 = kafka.newTopic(2);
        String t2 = kafka.newTopic(1);
        GatewayTester a = gateway("a");
        GatewayTester b = gateway("b");
        for (int i = 0; i < 10; i++) {
            produce(a, t1, "k" + i, "m" + i);
        }
        produce(b, t2, null, "other");
        RestConsumer onA = new RestConsumer(a, null, t1, group);
        Message pending = onA.next("&noAck");

        // When: gateway b starts consuming topic t2 for the same group, which changes the group's subscription
        Message onB = new RestConsumer(b, null, t2, group).next("");
        assertThat(onB.value()).isEqualTo("other");

        // Then: a kept its partitions through the rebalance, so the pending message is not handed out again
        List<Message> rest = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            rest.add(onA.next("&noAck"));
        }
        assertThat(rest).extracting(m -> m.partition() + "@" + m.offset())
                .doesNotContain(pending.partition() + "@" + pending.offset()).doesNotHaveDuplicates();
        assertThat(onA.ack(pending.partition(), pending.offset()).status()).isEqualTo(200);

        // And: both members are static (group.instance.id), each with an id of its own
        var members = kafka.admin().describeConsumerGroups(List.of(group)).all().get(30, java.util.concurrent.TimeUnit.SECONDS)
                .get(group).members();
        assertThat(members).hasSize(2).allSatisfy(m -> assertThat(m.groupInstanceId()).isPresent());
        assertThat(members.stream().map(m -> m.groupInstanceId().orElseThrow()).distinct()).hasSize(2);
    }

    @Test
    void twoGatewaysSplitAFourPartitionTopic() {
        // Given
        String topic = kafka.newTopic(4);
        GatewayTester a = gateway("gateway-a");
        GatewayTester b = gateway("gateway-b");
        RestConsumer onA = new RestConsumer(a, null, topic, group);
        RestConsumer onB = new RestConsumer(b, null, topic, group);
        onA.consume("");
        onB.consume("");

        // When
        Map<String, List<Integer>> assignment = awaitAssignment(a, topic, 2, 4);
        IntStream.range(0, 40).forEach(i -> produce(a, topic, "k" + i, "m" + i));
        List<List<Message>> received = consumeAll(List.of(onA, onB), 40);

        // Then
        assertThat(assignment).containsOnlyKeys("gateway-a", "gateway-b");
        assertThat(assignment.values()).allSatisfy(owned -> assertThat(owned).hasSize(2));
        assertThat(received.get(0)).extracting(Message::partition).allMatch(assignment.get("gateway-a")::contains);
        assertThat(received.get(1)).extracting(Message::partition).allMatch(assignment.get("gateway-b")::contains);
        assertThat(received.stream().flatMap(List::stream).map(m -> m.partition() + "@" + m.offset()).distinct()).hasSize(40);
    }

    @Test
    void aThirdGatewayOnASinglePartitionTopicOnlySeesTimeouts() {
        // Given
        String topic = kafka.newTopic(1);
        List<RestConsumer> consumers = List.of("gateway-a", "gateway-b", "gateway-c").stream()
                .map(id -> new RestConsumer(gateway(id), null, topic, group)).toList();
        consumers.forEach(c -> c.consume(""));
        Map<String, List<Integer>> assignment = awaitAssignment(gateways.get(0), topic, 1, 1);

        // When
        IntStream.range(0, 10).forEach(i -> produce(gateways.get(0), topic, null, "m" + i));
        List<List<Message>> received = consumeAll(consumers, 10);

        // Then: one gateway got all ten, in order; the others only long-polling timeouts
        String owner = assignment.keySet().iterator().next();
        int ownerIndex = List.of("gateway-a", "gateway-b", "gateway-c").indexOf(owner);
        assertThat(received.get(ownerIndex)).extracting(Message::offset).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        for (int i = 0; i < 3; i++) {
            if (i != ownerIndex) {
                assertThat(received.get(i)).isEmpty();
            }
        }
    }

    @Test
    void aJoiningGatewayResumesRightAfterTheLastCommittedOffset() {
        // Given: one gateway owns both partitions and has consumed (auto-ack) six messages
        String topic = kafka.newTopic(2);
        GatewayTester a = gateway("gateway-a");
        IntStream.range(0, 20).forEach(i -> produce(a, topic, "k" + i, "m" + i));
        RestConsumer onA = new RestConsumer(a, null, topic, group);
        List<Message> before = new ArrayList<>();
        while (before.size() < 6) {
            Message message = onA.consume("");
            if (message != null) {
                before.add(message);
            }
        }

        // When: a second gateway joins
        RestConsumer onB = new RestConsumer(gateway("gateway-b"), null, topic, group);
        onB.consume("");
        awaitAssignment(a, topic, 2, 2);
        List<List<Message>> after = consumeAll(List.of(onA, onB), 14);

        // Then: every message exactly once, none of the six again
        List<String> all = new ArrayList<>();
        before.forEach(m -> all.add(m.partition() + "@" + m.offset()));
        after.stream().flatMap(List::stream).forEach(m -> all.add(m.partition() + "@" + m.offset()));
        assertThat(all).hasSize(20).doesNotHaveDuplicates();
    }

    @Test
    void anUnacknowledgedMessageIsOfferedByTheOtherGatewayOnceTheFirstLeavesTheTopic() {
        // Given: gateway A took a message and never acknowledged it
        String topic = kafka.newTopic(1);
        GatewayTester a = gateway("gateway-a", ", subscription_timeout: 1s, ack_timeout: 2s");
        produce(a, topic, null, "keep me");
        Message taken = new RestConsumer(a, null, topic, group).next("&noAck");
        assertThat(taken).isNotNull();

        // When: A stops asking, B asks
        RestConsumer onB = new RestConsumer(gateway("gateway-b", ", subscription_timeout: 1s, ack_timeout: 2s"), null, topic, group);
        List<Message> received = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Message message = onB.consume("");
            if (message != null) {
                received.add(message);
            }
            return !received.isEmpty();
        });

        // Then
        assertThat(received.get(0)).isEqualTo(taken);
    }

    @Test
    void aPlainKafkaConsumerAndAGatewayShareAGroupAndLoseNothing() throws Exception {
        // Given
        String topic = kafka.newTopic(4);
        GatewayTester gateway = gateway("gateway-a");
        RestConsumer onGateway = new RestConsumer(gateway, null, topic, group);
        onGateway.consume("");
        List<String> plainReceived = new CopyOnWriteArrayList<>();
        AtomicBoolean running = new AtomicBoolean(true);
        Thread plain = new Thread(() -> {
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                    ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.getBootstrapServers(),
                    ConsumerConfig.GROUP_ID_CONFIG, group,
                    ConsumerConfig.CLIENT_ID_CONFIG, "plain-client",
                    ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName()))) {
                consumer.subscribe(List.of(topic));
                while (running.get()) {
                    for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                        plainReceived.add(record.partition() + "@" + record.offset());
                    }
                    consumer.commitSync();
                }
            }
        });
        plain.start();
        try {
            Map<String, List<Integer>> assignment = awaitAssignment(gateway, topic, 2, 4);

            // When
            IntStream.range(0, 40).forEach(i -> produce(gateway, topic, "k" + i, "m" + i));
            List<Message> gatewayReceived = new ArrayList<>();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                Message message = onGateway.consume("");
                if (message != null) {
                    gatewayReceived.add(message);
                }
                return gatewayReceived.size() + plainReceived.size() >= 40;
            });

            // Then
            assertThat(assignment).containsOnlyKeys("gateway-a", "plain-client");
            Set<String> all = new HashSet<>(plainReceived);
            gatewayReceived.forEach(m -> all.add(m.partition() + "@" + m.offset()));
            assertThat(all).hasSize(40);
            assertThat(gatewayReceived).isNotEmpty();
            assertThat(plainReceived).isNotEmpty().doesNotHaveDuplicates();
            assertThat(gatewayReceived).extracting(Message::partition).allMatch(assignment.get("gateway-a")::contains);
        } finally {
            running.set(false);
            plain.join(10_000);
        }
    }

    @Test
    void aStoppingGatewayTakesAcksWhileDrainingCommitsThemAndHandsOverAtOnce() throws Exception {
        // Given: A consumed three of five messages without acknowledging them
        String topic = kafka.newTopic(1);
        GatewayTester a = gateway("gateway-a", "", "2s");
        IntStream.range(0, 5).forEach(i -> produce(a, topic, null, "m" + i));
        RestConsumer onA = new RestConsumer(a, null, topic, group);
        for (int i = 0; i < 3; i++) {
            assertThat(onA.next("&noAck").offset()).isEqualTo(i);
        }

        // When: A stops; while it drains, consumes are refused and acks are taken
        var stopped = a.gateway().stop().toCompletionStage().toCompletableFuture();
        await().untilAsserted(() -> assertThat(onA.raw("").status()).isEqualTo(503));
        for (int offset = 0; offset < 3; offset++) {
            assertThat(onA.ack(0, offset).status()).as("ack while draining").isEqualTo(200);
        }
        stopped.get(60, TimeUnit.SECONDS);
        gateways.remove(a);

        // Then: B starts right after what A acknowledged, without waiting out a session timeout
        RestConsumer onB = new RestConsumer(gateway("gateway-b"), null, topic, group);
        long started = System.nanoTime();
        List<Long> offsets = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Message message = onB.consume("");
            if (message != null) {
                offsets.add(message.offset());
            }
            return offsets.size() >= 2;
        });
        assertThat(offsets).containsExactly(3L, 4L);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(20));
        JsonNode committed = onB.offsets().get(0);
        assertThat(committed.get("offset").asLong()).isGreaterThanOrEqualTo(3);
    }
}
