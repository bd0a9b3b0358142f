package io.kafkagateway.peers;

import io.kafkagateway.testing.FreePorts;
import io.kafkagateway.testing.ConfluentClient;
import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.Response;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Three clustered gateways (one JVM, Hazelcast on loopback) behind a client that sends each request to the next
 * gateway in turn, on a real broker: acknowledgements reach the partition's owner wherever they land, a gateway
 * owning no partition still serves messages, and a move through any gateway moves the group.
 */
@ExtendWith(KafkaClusterExtension.class)
class ScaleOutIT {

    static KafkaCluster cluster;
    static KafkaProbe kafka;
    static final List<GatewayTester> gateways = new ArrayList<>();

    @BeforeAll
    static void start() {
        kafka = new KafkaProbe(cluster.getBootstrapServers());
        List<Integer> ports = IntStream.range(0, 9).mapToObj(i -> FreePorts.belowEphemeral()).toList();
        String members = String.join(", ", ports.subList(0, 3).stream().map(p -> "127.0.0.1:" + p).toList());
        List<CompletableFuture<GatewayTester>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String yaml = """
                    shutdown_drain: 0s
                    cluster: {enabled: true, instance_id: gw-%d, host: 127.0.0.1, port: %d, discovery_port: %d, members: [%s]}
                    proxies:
                      default:
                        kafka: {seed_peers: [%s]}
                        consumer: {initial_offset: earliest, long_polling_timeout: 1s, ack_timeout: 60s,
                                   offsets_commit_interval: 200ms}
                    """.formatted(i, ports.get(3 + i), ports.get(i), members, cluster.getBootstrapServers());
            int rest = ports.get(6 + i);
            int management = FreePorts.belowEphemeral();
            int confluent = FreePorts.belowEphemeral();
            starting.add(CompletableFuture.supplyAsync(() -> GatewayTester.start(yaml, rest, management, confluent)));
        }
        starting.forEach(f -> gateways.add(f.join()));
        await().atMost(Duration.ofSeconds(60)).until(() -> gateways.stream().allMatch(g ->
                g.getManagement("/metrics").body().contains("kgw_cluster_members 3.0")));
    }

    @AfterAll
    static void stop() {
        gateways.forEach(GatewayTester::close);
        kafka.close();
    }

    @Test
    void aConfluentConsumerInstanceServesThroughEveryGateway() {
        // Given: 5 records, and an instance created on the first gateway
        String topic = kafka.newTopic(1);
        kafka.produce(topic, 5);
        List<ConfluentClient> clients = gateways.stream().map(g -> new ConfluentClient(g.confluentUrl())).toList();
        String group = group();
        String base = "/consumers/" + group + "/instances/c";
        String v2 = "application/vnd.kafka.v2+json";
        assertThat(clients.get(0).post("/consumers/" + group, v2, "{\"name\":\"c\",\"auto.offset.reset\":\"earliest\"}")
                .status()).isEqualTo(200);

        // When: every later request lands on another gateway
        Response duplicate = clients.get(1).post("/consumers/" + group, v2, "{\"name\":\"c\"}");
        Response assigned = clients.get(1).post(base + "/assignments", v2,
                "{\"partitions\":[{\"topic\":\"" + topic + "\",\"partition\":0}]}");
        List<Long> offsets = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            Response records = clients.get(2).get(base + "/records?timeout=500", "application/vnd.kafka.binary.v2+json");
            assertThat(records.status()).as(records.body()).isEqualTo(200);
            records.json().forEach(r -> offsets.add(r.path("offset").asLong()));
            return offsets.size() >= 5;
        });
        Response committed = clients.get(1).post(base + "/offsets", v2, null);
        Response deleted = clients.get(2).delete(base);
        Response gone = clients.get(0).get(base + "/assignments", null);

        // Then
        assertThat(duplicate.json().path("error_code").asInt()).isEqualTo(40902);
        assertThat(assigned.status()).isEqualTo(204);
        assertThat(offsets).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(committed.status()).isEqualTo(200);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(gone.json().path("error_code").asInt()).isEqualTo(40403);
        assertThat(kafka.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .toCompletionStage().toCompletableFuture().join().values().iterator().next().offset()).isEqualTo(5);
    }

    private static String group() {
        return "g-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** Each gateway joins the group, then the group settles: three members owning the topic's partitions. */
    private static void join(String topic, String group, int partitions) {
        gateways.forEach(g -> g.get("/topics/" + topic + "/messages?group=" + group + "&noAck"));
        kafka.awaitSettled(group, 3, partitions);
    }

    private static void produceThroughGateways(String topic, int count) {
        for (int i = 0; i < count; i++) {
            Response response = gateways.get(i % 3).post("/topics/" + topic + "/messages?key=k" + i, "text/plain", "m" + i);
            assertThat(response.status()).as(response.toString()).isEqualTo(200);
        }
        await().until(() -> kafka.endOffsets(topic).values().stream().mapToLong(Long::longValue).sum() == count);
    }

    @Test
    void roundRobinConsumeAndAckReachTheOwnersWithoutConflicts() throws Exception {
        // Given: a 4-partition topic holding 20,000 messages, whose group has a member on each gateway
        String topic = kafka.newTopic(4);
        String group = group();
        join(topic, group, 4);
        int count = 20_000;
        kafka.produce(topic, count);

        // When: four workers each send every request, consume or acknowledgement, to the next gateway in turn
        Set<String> received = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger deliveries = new AtomicInteger();
        AtomicInteger conflicts = new AtomicInteger();
        AtomicInteger timeouts = new AtomicInteger();
        long deadline = System.nanoTime() + Duration.ofSeconds(240).toNanos();
        List<CompletableFuture<Void>> workers = IntStream.range(0, 4).mapToObj(w -> CompletableFuture.runAsync(() -> {
            int turn = w;
            while (received.size() < count && System.nanoTime() < deadline) {
                Response message = gateways.get(turn++ % 3).get("/topics/" + topic + "/messages?group=" + group + "&noAck");
                if (message.status() == 408) {
                    timeouts.incrementAndGet();
                    continue;
                }
                assertThat(message.status()).as(message.toString()).isEqualTo(200);
                int partition = message.json().get("partition").asInt();
                long offset = message.json().get("offset").asLong();
                deliveries.incrementAndGet();
                received.add(partition + "@" + offset);
                Response ack = gateways.get(turn++ % 3).post("/topics/" + topic + "/acks?group=" + group + "&partition="
                        + partition + "&offset=" + offset, "text/plain", "");
                if (ack.status() == 409) {
                    conflicts.incrementAndGet();
                } else {
                    assertThat(ack.status()).as(ack.toString()).isEqualTo(200);
                }
            }
        })).toList();
        for (CompletableFuture<Void> worker : workers) {
            worker.get(300, java.util.concurrent.TimeUnit.SECONDS);
        }

        // Then: every message, no acknowledgement refused, (almost) no message handed out twice
        String figures = "deliveries " + deliveries + ", 409s " + conflicts + ", 408s " + timeouts + "; offsets "
                + gateways.get(0).get("/topics/" + topic + "/offsets?group=" + group).body() + "; members "
                + gateways.get(0).get("/topics/" + topic + "/consumers?group=" + group).body() + "; pending "
                + gateways.stream().map(g -> g.getManagement("/metrics").body().lines()
                .filter(l -> l.startsWith("kgw_consumer_pending_acks") || l.startsWith("kgw_forwarded_requests_total")).toList()).toList();
        System.out.println("round robin: " + figures);
        assertThat(received.size()).as(figures).isEqualTo(count);
        assertThat(conflicts.get()).as(figures).isZero();
        assertThat(deliveries.get() - count).as("redeliveries").isLessThan(count / 100);
        assertThat(gateways.get(0).getManagement("/metrics").body()).contains("kgw_forwarded_requests_total{kind=\"ack\"");
    }

    @Test
    void gatewaysOwningNoPartitionStillServeMessages() {
        // Given: one partition, three gateways: two of them own nothing
        String topic = kafka.newTopic(1);
        String group = group();
        join(topic, group, 1);
        produceThroughGateways(topic, 30);

        // When: auto-acknowledging consumes go round robin
        Map<Integer, Integer> servedBy = new HashMap<>();
        Set<Long> offsets = new HashSet<>();
        int turn = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (offsets.size() < 30 && System.nanoTime() < deadline) {
            int gateway = turn++ % 3;
            Response message = gateways.get(gateway).get("/topics/" + topic + "/messages?group=" + group);
            if (message.status() == 200) {
                offsets.add(message.json().get("offset").asLong());
                servedBy.merge(gateway, 1, Integer::sum);
            } else {
                assertThat(message.status()).as(message.toString()).isEqualTo(408);
            }
        }

        // Then: every message came, and every gateway handed some out
        assertThat(offsets).hasSize(30);
        assertThat(servedBy).containsOnlyKeys(0, 1, 2);
    }

    @Test
    void aMoveThroughAGatewayThatOwnsNothingMovesTheGroup() {
        // Given: a one-partition topic consumed and acknowledged to its end
        String topic = kafka.newTopic(1);
        String group = group();
        join(topic, group, 1);
        produceThroughGateways(topic, 5);
        Set<Long> offsets = new HashSet<>();
        int turn = 0;
        while (offsets.size() < 5) {
            Response message = gateways.get(turn++ % 3).get("/topics/" + topic + "/messages?group=" + group);
            if (message.status() == 200) {
                offsets.add(message.json().get("offset").asLong());
            }
        }
        String owner = gateways.get(0).get("/topics/" + topic + "/consumers?group=" + group).json().get(group)
                .properties().stream().filter(m -> m.getValue().size() == 1).findFirst().orElseThrow().getKey();
        assertThat(owner).containsPattern("-gw-[0-2]$");

        // When: a gateway that does not own the partition moves the group back to offset 1
        GatewayTester nonOwner = gateways.stream().filter(g -> !owner.contains(g.gateway().config().cluster().instanceId()))
                .findFirst().orElseThrow();
        Response moved = nonOwner.post("/topics/" + topic + "/offsets?group=" + group, "application/json",
                "[{\"partition\":0,\"offset\":1}]");
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);

        // Then: the group consumes from 1 again, wherever asked
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Response next = gateways.get(1).get("/topics/" + topic + "/messages?group=" + group);
            assertThat(next.status()).as(next.toString()).isEqualTo(200);
            assertThat(next.json().get("offset").asLong()).isEqualTo(1);
        });
    }
}
