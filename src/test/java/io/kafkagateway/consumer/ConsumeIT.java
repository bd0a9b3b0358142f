package io.kafkagateway.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.Response;
import io.kafkagateway.testing.RestConsumer;
import io.kafkagateway.testing.RestConsumer.Message;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.common.BrokerConfig;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * REST consumption on one gateway against a real broker: Kafka-Pixy's consume scenarios, acknowledgement modes,
 * redelivery, the bounds, and every error. Each named cluster is the same broker with other consumer settings.
 */
@ExtendWith(KafkaClusterExtension.class)
class ConsumeIT {

    @BrokerConfig(name = "auto.create.topics.enable", value = "false")
    static KafkaCluster cluster;
    static GatewayTester gateway;
    static KafkaProbe kafka;

    @BeforeAll
    static void start() {
        kafka = new KafkaProbe(cluster.getBootstrapServers());
        String peers = "kafka: {seed_peers: [" + cluster.getBootstrapServers() + "]}";
        String fast = "initial_offset: earliest, long_polling_timeout: 1s, offsets_commit_interval: 100ms";
        gateway = GatewayTester.start("""
                proxies:
                  main:
                    %1$s
                    consumer: {%2$s}
                  redeliver:
                    %1$s
                    consumer: {%2$s, ack_timeout: 300ms}
                  once:
                    %1$s
                    consumer: {%2$s, ack_timeout: 300ms, max_retries: 0}
                  thrice:
                    %1$s
                    consumer: {%2$s, ack_timeout: 200ms, max_retries: 3}
                  pending2:
                    %1$s
                    consumer: {%2$s, max_pending_messages: 2}
                  latest:
                    %1$s
                    consumer: {long_polling_timeout: 1s}
                  queue1:
                    %1$s
                    consumer: {%2$s, channel_buffer_size: 1}
                  parking:
                    %1$s
                    consumer: {initial_offset: earliest, offsets_commit_interval: 100ms, channel_buffer_size: 2000, long_polling_timeout: 20s}
                  disabled:
                    %1$s
                    consumer: {disabled: true}
                  brief:
                    %1$s
                    consumer: {%2$s, subscription_timeout: 1s, ack_timeout: 2s}
                  smallbuffer:
                    %1$s
                    consumer: {%2$s, fetch_max_bytes: 20000}
                  budget:
                    %1$s
                    consumer: {%2$s, fetch_max_bytes: 2097152, max_memory_bytes: 1048576}
                  onetopic:
                    %1$s
                    consumer: {%2$s, max_topics_per_group: 1}
                """.formatted(peers, fast));
    }

    @AfterAll
    static void stop() {
        gateway.close();
        kafka.close();
    }

    private static String group() {
        return "g-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void produce(String cluster, String topic, String key, String value) {
        String keyParam = key == null ? "" : "&key=" + key;
        Response response = gateway.post("/clusters/" + cluster + "/topics/" + topic + "/messages?sync" + keyParam, "text/plain", value);
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
    }

    private static void produce(String topic, int count) {
        for (int i = 0; i < count; i++) {
            produce("main", topic, null, "m" + i);
        }
    }

    @Test
    void aMessageArrivingAfterTheClientHungUpGoesToTheNextRequest() throws Exception {
        // Given: a group that has joined (its first message consumed), then a client whose long poll is parked
        String topic = kafka.newTopic(1);
        String path = "/clusters/parking/topics/" + topic + "/messages?group=" + group();
        produce("parking", topic, null, "first");
        assertThat(gateway.get(path).status()).isEqualTo(200);
        java.net.URI base = java.net.URI.create(gateway.baseUrl());
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n").getBytes());
            socket.getOutputStream().flush();
            await().until(() -> gateway.waitingRequests("parking") == 1);

            // When: it hangs up, and a message arrives
        }
        produce("parking", topic, null, "second");

        // Then: the next request gets it; the auto-acknowledging poll of the client that left did not take it
        Response next = gateway.get(path);
        assertThat(next.status()).as(next.toString()).isEqualTo(200);
        assertThat(next.json().get("offset").asLong()).isEqualTo(1);
        assertThat(gateway.waitingRequests("parking")).isZero();
    }


    @Test
    void autoAckRunCommitsExactlyWhatWasConsumed() {
        // Given: Kafka-Pixy's 88 messages, keyed A x17, B x19, C x23, D x29 (hash places them on p0, p3, p2, p1)
        String topic = kafka.newTopic(4);
        Map<String, Integer> counts = Map.of("A", 17, "B", 19, "C", 23, "D", 29);
        counts.forEach((key, count) -> IntStream.range(0, count).forEach(i -> produce("main", topic, key, key + i)));
        RestConsumer consumer = new RestConsumer(gateway, "main", topic, group());

        // When
        List<Message> consumed = new ArrayList<>();
        while (consumed.size() < 88) {
            Message message = consumer.consume("");
            if (message != null) {
                consumed.add(message);
            }
        }

        // Then
        assertThat(consumer.consume("")).as("nothing left").isNull();
        Map<Integer, Long> perPartition = consumed.stream()
                .collect(Collectors.groupingBy(Message::partition, TreeMap::new, Collectors.counting()));
        assertThat(perPartition).isEqualTo(Map.of(0, 17L, 1, 29L, 2, 23L, 3, 19L));
        assertThat(consumed.stream().map(m -> m.partition() + "@" + m.offset()).collect(Collectors.toSet())).hasSize(88);
        await().untilAsserted(() -> {
            JsonNode offsets = consumer.offsets();
            assertThat(IntStream.range(0, 4).mapToObj(p -> offsets.get(p).get("offset").asLong()).toList())
                    .containsExactly(17L, 29L, 23L, 19L);
            offsets.forEach(p -> assertThat(p.get("lag").asLong()).isZero());
        });
    }

    @Test
    void explicitAckLoopCommitsEverything() {
        // Given
        String topic = kafka.newTopic(1);
        produce(topic, 10);
        RestConsumer consumer = new RestConsumer(gateway, "main", topic, group());

        // When: the first request acks nothing, each next one acks the previous message, a final ack ends it
        Message previous = consumer.next("&noAck");
        List<Long> offsets = new ArrayList<>(List.of(previous.offset()));
        for (int i = 1; i < 10; i++) {
            Message next = consumer.next("&ackPartition=" + previous.partition() + "&ackOffset=" + previous.offset());
            offsets.add(next.offset());
            previous = next;
        }
        assertThat(consumer.ack(previous.partition(), previous.offset()).body()).isEqualTo("{}");

        // Then
        assertThat(offsets).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
        await().untilAsserted(() -> assertThat(consumer.committed(0)).isEqualTo(10));
    }

    @Test
    void noAckLeavesCommittedOffsetsAlone() {
        // Given: a new group's start (offset 0, earliest) is committed as soon as the partition is assigned
        String topic = kafka.newTopic(1);
        produce(topic, 3);
        RestConsumer consumer = new RestConsumer(gateway, "main", topic, group());
        assertThat(consumer.next("&noAck")).isNotNull();
        await().untilAsserted(() -> assertThat(consumer.committed(0)).isZero());

        // When
        for (int i = 1; i < 3; i++) {
            assertThat(consumer.next("&noAck")).isNotNull();
        }

        // Then
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(consumer.committed(0)).isZero());
    }

    @Test
    void anUnacknowledgedMessageComesBackToAWaitingRequestAfterTheAckTimeout() {
        // Given
        String topic = kafka.newTopic(1);
        produce("redeliver", topic, null, "first");
        RestConsumer consumer = new RestConsumer(gateway, "redeliver", topic, group());
        Message first = consumer.next("&noAck");

        // When: the next request waits, with nothing new, past the 300 ms ack timeout
        double redeliveriesBefore = metric("kgw_consumer_redeliveries_total", "redeliver");
        Message again = consumer.next("&noAck");

        // Then
        assertThat(again).isEqualTo(first);
        assertThat(metric("kgw_consumer_redeliveries_total", "redeliver")).isEqualTo(redeliveriesBefore + 1);
        assertThat(consumer.ack(0, first.offset()).status()).isEqualTo(200);
        produce("redeliver", topic, null, "second");
        assertThat(consumer.next("").value()).isEqualTo("second");
        assertThat(consumer.consume("")).as("acknowledged: not offered again").isNull();
    }

    @Test
    void maxRetriesZeroOffersOnce() {
        String topic = kafka.newTopic(1);
        produce("once", topic, null, "only once");
        RestConsumer consumer = new RestConsumer(gateway, "once", topic, group());
        assertThat(consumer.next("&noAck")).isNotNull();
        assertThat(consumer.consume("&noAck")).isNull();
        await().untilAsserted(() -> assertThat(consumer.committed(0)).as("dropped counts as acknowledged").isEqualTo(1));
    }

    @Test
    void maxRetriesThreeOffersFourTimes() {
        String topic = kafka.newTopic(1);
        produce("thrice", topic, null, "four times");
        RestConsumer consumer = new RestConsumer(gateway, "thrice", topic, group());
        List<Message> deliveries = new ArrayList<>();
        Message message;
        while ((message = consumer.consume("&noAck")) != null) {
            deliveries.add(message);
        }
        assertThat(deliveries).hasSize(4).allMatch(m -> m.offset() == 0);
    }

    @Test
    void maxPendingMessagesStopsNewMessagesUntilAcknowledged() {
        // Given
        String topic = kafka.newTopic(1);
        produce(topic, 5);
        RestConsumer consumer = new RestConsumer(gateway, "pending2", topic, group());
        Message m0 = consumer.next("&noAck");
        Message m1 = consumer.next("&noAck");

        // When / Then
        assertThat(consumer.consume("&noAck")).as("two pending: nothing new flows").isNull();
        assertThat(consumer.next("&ackPartition=0&ackOffset=" + m0.offset()).offset()).isEqualTo(2);
        assertThat(m1.offset()).isEqualTo(1);
    }

    @Test
    void aNewGroupStartsAtTheEndByDefaultAndWhereTheRequestSays() {
        // Given
        String topic = kafka.newTopic(1);
        produce("latest", topic, null, "before");
        RestConsumer latest = new RestConsumer(gateway, "latest", topic, group());
        RestConsumer earliest = new RestConsumer(gateway, "latest", topic, group());

        // When / Then
        assertThat(latest.consume("")).as("the default starts after what exists").isNull();
        latest.awaitAssigned();
        produce("latest", topic, null, "after");
        assertThat(latest.next("").value()).isEqualTo("after");
        assertThat(earliest.next("&initialOffset=earliest").value()).isEqualTo("before");
    }

    @Test
    void commitMetadataKeepsAcknowledgedRangesAndANewGatewaySkipsThem() {
        // Given: ten messages, 0, 2, 3, 4, 7 and 8 acknowledged (on a cluster view that leaves idle topics quickly)
        String topic = kafka.newTopic(1);
        produce(topic, 10);
        String group = group();
        RestConsumer consumer = new RestConsumer(gateway, "brief", topic, group);
        for (int i = 0; i < 10; i++) {
            assertThat(consumer.next("&noAck")).isNotNull();
        }
        for (long offset : new long[] {0, 2, 3, 4, 7, 8}) {
            assertThat(consumer.ack(0, offset).status()).isEqualTo(200);
        }

        // Then: Kafka-Pixy's encoding of exactly those ranges
        await().untilAsserted(() -> {
            JsonNode partition = consumer.offsets().get(0);
            assertThat(partition.get("offset").asLong()).isEqualTo(1);
            assertThat(partition.get("metadata").asText()).isEqualTo("BDCC");
            assertThat(partition.get("sparse_acks").asText()).isEqualTo("1-4,6-8");
        });

        // When: another gateway takes the group over once this one leaves the idle topic
        String peers = "kafka: {seed_peers: [" + cluster.getBootstrapServers() + "]}";
        try (GatewayTester other = GatewayTester.start("proxies:\n  main:\n    " + peers
                + "\n    consumer: {long_polling_timeout: 1s}\n    client_id: other\n")) {
            RestConsumer successor = new RestConsumer(other, "main", topic, group);
            List<Long> offsets = new ArrayList<>();
            Message message;
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                Message m = successor.consume("&noAck");
                if (m != null) {
                    offsets.add(m.offset());
                }
                return offsets.size() >= 4;
            });
            while ((message = successor.consume("&noAck")) != null) {
                offsets.add(message.offset());
            }

            // Then: only what was never acknowledged
            assertThat(offsets).containsExactly(1L, 5L, 6L, 9L);
        }
    }

    @Test
    void settingOffsetsWhileConsumingTakesEffectAtOnce() {
        String topic = kafka.newTopic(1);
        produce(topic, 6);
        RestConsumer consumer = new RestConsumer(gateway, "main", topic, group());
        for (int i = 0; i < 4; i++) {
            assertThat(consumer.next("")).isNotNull();
        }
        Response set = gateway.post("/clusters/main/topics/" + topic + "/offsets?group=" + groupOf(consumer),
                "application/json", "[{\"partition\":0,\"offset\":1}]");
        assertThat(set.body()).isEqualTo("{}");
        assertThat(consumer.next("").offset()).isEqualTo(1);
    }

    private static String groupOf(RestConsumer consumer) {
        try {
            java.lang.reflect.Field field = RestConsumer.class.getDeclaredField("group");
            field.setAccessible(true);
            return (String) field.get(consumer);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void offsetsOfAGroupThatNeverConsumedAreMinusOneWithNoLag() {
        String topic = kafka.newTopic(4);
        produce(topic, 8);
        JsonNode offsets = gateway.get("/clusters/main/topics/" + topic + "/offsets?group=" + group()).json();
        assertThat(offsets).hasSize(4);
        offsets.forEach(p -> {
            assertThat(p.get("offset").asLong()).isEqualTo(-1);
            assertThat(p.get("lag").asLong()).isZero();
            assertThat(p.get("count").asLong()).isEqualTo(p.get("end").asLong() - p.get("begin").asLong());
            assertThat(p.has("metadata")).isFalse();
        });
    }

    @Test
    void offsetsSetWithoutAMemberHereAreReadBack() {
        // Given
        String topic = kafka.newTopic(2);
        // Keyed, so that both partitions hold messages (the hash places keys the same way every time)
        for (String key : new String[] {"A", "B", "C", "D", "E", "F"}) {
            produce("main", topic, key, "m" + key);
        }
        String group = group();
        String path = "/clusters/main/topics/" + topic + "/offsets?group=" + group;

        // When
        Response set = gateway.post(path, "application/json",
                "[{\"partition\":0,\"offset\":1,\"metadata\":\"BB\"},{\"partition\":1,\"offset\":-2,\"begin\":0}]");

        // Then
        assertThat(set.body()).isEqualTo("{}");
        JsonNode offsets = gateway.get(path).json();
        assertThat(offsets.get(0).get("offset").asLong()).isEqualTo(1);
        assertThat(offsets.get(0).get("sparse_acks").asText()).isEqualTo("1-2");
        assertThat(offsets.get(1).get("offset").asLong()).as("-2 is the beginning").isZero();
    }

    @Test
    void badOffsetsRequestsSayWhatIsWrong() {
        String topic = kafka.newTopic(1);
        String path = "/clusters/main/topics/" + topic + "/offsets?group=" + group();
        assertThat(gateway.post(path, "application/json", "not json").error()).startsWith("Failed to parse the request");
        assertThat(gateway.post(path, "application/json", "[{\"offset\":1}]").status()).isEqualTo(400);
        assertThat(gateway.post(path, "application/json", "[{\"partition\":0,\"offset\":-3}]").error()).startsWith("bad offset");
        Response noPartition = gateway.post(path, "application/json", "[{\"partition\":7,\"offset\":0}]");
        assertThat(noPartition.status()).isEqualTo(404);
        assertThat(noPartition.error()).startsWith("Unknown partition");
        Response noTopic = gateway.get("/clusters/main/topics/nope/offsets?group=g");
        assertThat(noTopic.status()).isEqualTo(404);
        assertThat(noTopic.error()).isEqualTo("Unknown topic");
    }

    @Test
    void everyBadConsumeParameterIs400NamingIt() {
        String topic = kafka.newTopic(1);
        String path = "/clusters/main/topics/" + topic + "/messages";
        Map<String, String> cases = Map.of(
                "", "one consumer group is expected, but 0 provided",
                "?group=a&group=b", "one consumer group is expected, but 2 provided",
                "?group=", "group must not be empty",
                "?group=g&ackPartition=0", "ackPartition and ackOffset either both should be provided or neither",
                "?group=g&ackPartition=-1&ackOffset=0", "bad ackPartition: '-1' is not a partition number (0 or more)",
                "?group=g&ackPartition=0&ackOffset=-5", "bad ackOffset: '-5' is not an offset (0 or more)",
                "?group=g&ackPartition=x&ackOffset=1", "bad ackPartition: 'x' is not a partition number (0 or more)",
                "?group=g&initialOffset=middle", "bad initialOffset: 'middle'; use earliest or latest");
        cases.forEach((query, error) -> {
            Response response = gateway.get(path + query);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.error()).as(query).isEqualTo(error);
        });
        Response ack = gateway.post("/clusters/main/topics/" + topic + "/acks?group=g&partition=0", null, "");
        assertThat(ack.status()).isEqualTo(400);
        assertThat(ack.error()).isEqualTo("partition and offset are both required");
    }

    @Test
    void anAckForAPartitionThisGatewayDoesNotConsumeIsAClearConflictAndCounted() {
        String topic = kafka.newTopic(1);
        double before = metric("kgw_consumer_acks_not_owned_total", "main");
        Response response = gateway.post("/clusters/main/topics/" + topic + "/acks?group=" + group() + "&partition=0&offset=3", null, "");
        assertThat(response.status()).isEqualTo(409);
        assertThat(response.error()).contains("not consumed by this gateway", "offered again by the partition's owner");
        assertThat(metric("kgw_consumer_acks_not_owned_total", "main")).isEqualTo(before + 1);
    }

    @Test
    void commitMetadataLongerThanKafkaStoresIs400AndKafkaIsNotAsked() {
        // Given
        String topic = kafka.newTopic(1);
        String path = "/clusters/main/topics/" + topic + "/offsets?group=" + group();

        // When: metadata above Kafka's limit, and far above (which once killed the shared admin client)
        for (int length : new int[] {4097, 40_000}) {
            Response refused = gateway.post(path, "application/json",
                    "[{\"partition\":0,\"offset\":0,\"metadata\":\"" + "x".repeat(length) + "\"}]");

            // Then
            assertThat(refused.status()).as("%d characters", length).isEqualTo(400);
            assertThat(refused.error()).contains(length + " characters", "4096", "offset.metadata.max.bytes");
        }
        assertThat(gateway.get("/clusters/main/topics").status()).as("the admin client still answers").isEqualTo(200);
        assertThat(gateway.post(path, "application/json", "[{\"partition\":0,\"offset\":0,\"metadata\":\""
                + "x".repeat(4096) + "\"}]").status()).isEqualTo(200);
    }

    @Test
    void groupNamesKafkaWouldRefuseAre400NamingTheParameter() {
        String topic = kafka.newTopic(1);
        for (String group : new String[] {"%20", "%00", "%09", "%0a", "+", "a%2Fb", "x".repeat(250)}) {
            Response refused = gateway.get("/clusters/main/topics/" + topic + "/messages?group=" + group);
            assertThat(refused.status()).as(group).isEqualTo(400);
            assertThat(refused.error()).as(group).startsWith("invalid group '").contains("letter, digit");
        }
    }

    @Test
    void settingOffsetsRefusesAPartitionNamedTwiceAndAnOffsetBeyondTheEnd() {
        // Given: a partition holding two messages
        String topic = kafka.newTopic(1);
        produce(topic, 2);
        String path = "/clusters/main/topics/" + topic + "/offsets?group=" + group();

        // When / Then
        Response twice = gateway.post(path, "application/json", "[{\"partition\":0,\"offset\":1},{\"partition\":0,\"offset\":0}]");
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.error()).contains("partition 0 is named more than once");
        Response beyond = gateway.post(path, "application/json", "[{\"partition\":0,\"offset\":3}]");
        assertThat(beyond.status()).isEqualTo(400);
        assertThat(beyond.error()).contains("the partition ends at 2");
        assertThat(gateway.post(path, "application/json", "[{\"partition\":0,\"offset\":2}]").status()).isEqualTo(200);
    }

    @Test
    void aGroupCommittedBeyondTheEndOfALogThatMovedBackConsumesItAgain() throws Exception {
        // Given: a group committed at 1000 on a partition that now holds 3 messages (recreated, or truncated)
        String topic = kafka.newTopic(1);
        produce(topic, 3);
        String group = group();
        kafka.admin().alterConsumerGroupOffsets(group, Map.of(new org.apache.kafka.common.TopicPartition(topic, 0),
                new org.apache.kafka.clients.consumer.OffsetAndMetadata(1000))).all().get(30, java.util.concurrent.TimeUnit.SECONDS);
        RestConsumer consumer = new RestConsumer(gateway, "main", topic, group);

        // When / Then: the messages there are delivered, not skipped as below the committed offset
        List<Long> offsets = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            offsets.add(consumer.next("&noAck").offset());
        }
        assertThat(offsets).containsExactly(0L, 1L, 2L);
        assertThat(metric("kgw_consumer_log_rewinds_total", "main")).isPositive();
    }

    @Test
    void aGroupConsumesAtMostMaxTopicsPerGroupAtOnce() {
        String first = kafka.newTopic(1);
        String second = kafka.newTopic(1);
        String group = group();
        assertThat(gateway.get("/clusters/onetopic/topics/" + first + "/messages?group=" + group).status()).isEqualTo(408);
        Response refused = gateway.get("/clusters/onetopic/topics/" + second + "/messages?group=" + group);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.error()).contains("consumer.max_topics_per_group");
    }

    @Test
    void whileTheEngineHoldsItsWholeMemoryBudgetNoNewGroupIsJoined() {
        // Given: 2 MB of incompressible messages, a 1 MiB budget for the cluster, and a group holding a fetch of them
        String topic = kafka.newTopic(1);
        java.util.Random random = new java.util.Random(11);
        for (int i = 0; i < 200; i++) {
            byte[] value = new byte[10_000];
            random.nextBytes(value);
            Response r = gateway.post("/clusters/budget/topics/" + topic + "/messages?sync", "text/plain",
                    java.util.Base64.getEncoder().encodeToString(value));
            assertThat(r.status()).isEqualTo(200);
        }
        RestConsumer holder = new RestConsumer(gateway, "budget", topic, group());
        holder.next("&noAck");
        await().until(() -> metric("kgw_consumer_buffered_bytes", "budget") + metric("kgw_consumer_offered_bytes", "budget") >= 1_048_576);

        // When: another group asks
        Response refused = gateway.get("/clusters/budget/topics/" + topic + "/messages?group=" + group());

        // Then: 429 naming the budget; the group holding the fetch is still served from it
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.error()).contains("consumer.max_memory_bytes");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(holder.consume("&noAck")).isNotNull();
    }

    @Test
    void consumingAMissingTopicIs404() {
        Response response = gateway.get("/clusters/main/topics/no-such-topic/messages?group=g");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.error()).isEqualTo("Unknown topic: no-such-topic");
    }

    @Test
    void disabledConsumerIs503() {
        String topic = kafka.newTopic(1);
        Response response = gateway.get("/clusters/disabled/topics/" + topic + "/messages?group=g");
        assertThat(response.status()).isEqualTo(503);
        assertThat(response.error()).contains("consumer.disabled");
    }

    @Test
    void aFullRequestQueueIs429() {
        // Given: room for one waiting request
        String topic = kafka.newTopic(1);
        String group = group();
        String path = "/clusters/queue1/topics/" + topic + "/messages?group=" + group;
        assertThat(gateway.get(path).status()).as("joins the group, then times out").isEqualTo(408);

        // When
        List<Response> responses = List.of(gateway.getAsync(path), gateway.getAsync(path)).stream()
                .map(CompletableFuture::join).toList();

        // Then
        assertThat(responses).extracting(Response::status).containsExactlyInAnyOrder(408, 429);
        assertThat(responses.stream().filter(r -> r.status() == 429).findFirst().orElseThrow().error())
                .startsWith("too many requests").contains("consumer.channel_buffer_size");
        assertThat(responses.stream().filter(r -> r.status() == 408).findFirst().orElseThrow().error())
                .isEqualTo("long polling timeout");
    }

    @Test
    void fetchingStopsWhileAPartitionsBufferIsFullAndResumesAsItDrains() {
        // Given: 1 MB of incompressible messages waiting in one partition (produced one by one, so each is its own
        // batch), a 20 KB per-partition fetch buffer
        String topic = kafka.newTopic(1);
        java.util.Random random = new java.util.Random(7);
        for (int i = 0; i < 100; i++) {
            StringBuilder message = new StringBuilder();
            random.ints(10_000, 'a', 'z' + 1).forEach(c -> message.append((char) c));
            produce("main", topic, null, message.toString());
        }
        RestConsumer consumer = new RestConsumer(gateway, "smallbuffer", topic, group());

        // When
        assertThat(consumer.next("")).isNotNull();

        // Then: the gateway holds about the buffer's size (plus what one fetch brings), not the backlog
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                assertThat(metric("kgw_consumer_buffered_bytes", "smallbuffer")).isBetween(1.0, 3 * 20_000.0));
        List<Message> rest = new ArrayList<>();
        Message next;
        while ((next = consumer.consume("")) != null) {
            rest.add(next);
        }
        assertThat(rest).as("everything arrives as the buffer drains").hasSize(99);
        assertThat(metric("kgw_consumer_buffered_bytes", "smallbuffer")).isZero();
    }

    private static double metric(String name, String cluster) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(name + "\\{cluster=\"" + cluster + "\"} ([0-9.E+-]+)")
                .matcher(gateway.getManagement("/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    /** Threads of the gateway (Vert.x and its own), not of the test's HTTP client living in the same JVM. */
    private static long gatewayThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("vert.x-") || t.getName().startsWith("kgw-"))
                .count();
    }

    @Test
    void aThousandParkedLongPollsCostNoThreadsAndEachGetsItsOwnMessage() {
        // Given: the group joined, then 1000 requests waiting on an empty topic
        String topic = kafka.newTopic(4);
        String path = "/clusters/parking/topics/" + topic + "/messages?group=" + group();
        produce("parking", topic, null, "warm-up");
        assertThat(gateway.get(path).status()).as("joins the group and takes the warm-up message").isEqualTo(200);
        long threadsBefore = gatewayThreads();
        List<CompletableFuture<Response>> parked = IntStream.range(0, 1000).mapToObj(i -> gateway.getAsync(path)).toList();
        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.getManagement("/metrics").status() == 200);

        // When: a sync produce while they wait
        long started = System.nanoTime();
        Response produced = gateway.post("/clusters/parking/topics/" + topic + "/messages?sync", "text/plain", "m");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // Then
        assertThat(produced.status()).isEqualTo(200);
        assertThat(took).as("produce is not held up by parked polls").isLessThan(Duration.ofSeconds(2));
        assertThat(gatewayThreads() - threadsBefore).as("gateway threads added for 1000 parked polls").isLessThan(3);
        IntStream.range(1, 1000)
                .mapToObj(i -> gateway.postAsync("/clusters/parking/topics/" + topic + "/messages", "text/plain", "m" + i))
                .toList()
                .forEach(produce -> assertThat(produce.join().status()).isEqualTo(200));
        Set<String> delivered = new HashSet<>();
        parked.forEach(future -> {
            Response response = future.join();
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
            delivered.add(response.json().get("partition").asInt() + "@" + response.json().get("offset").asLong());
        });
        assertThat(delivered).as("each waiting request got a message of its own").hasSize(1000);
    }
}
