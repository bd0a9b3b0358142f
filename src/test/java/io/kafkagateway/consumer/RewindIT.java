package io.kafkagateway.consumer;

import com.fasterxml.jackson.databind.JsonNode;
import io.kafkagateway.testing.GatewayTester;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.Response;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Moving a group back ({@code POST /offsets}) while the gateway holds a fetched backlog, and while messages keep
 * arriving: every message from the new position is delivered again, none is taken for a gap, and the committed offset
 * never passes a message that was not acknowledged.
 */
@ExtendWith(KafkaClusterExtension.class)
class RewindIT {

    static KafkaCluster cluster;
    static GatewayTester gateway;
    static KafkaProbe kafka;

    @BeforeAll
    static void start() {
        kafka = new KafkaProbe(cluster.getBootstrapServers());
        gateway = GatewayTester.forCluster(cluster.getBootstrapServers(),
                "consumer: {initial_offset: earliest, long_polling_timeout: 1s, offsets_commit_interval: 100ms}");
    }

    @AfterAll
    static void stop() {
        gateway.close();
        kafka.close();
    }

    private static KafkaProducer<byte[], byte[]> producer() {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.getBootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG, "5",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName()));
    }

    /** Consumes with explicit acknowledgements on several connections, recording every offset delivered. */
    private static final class Consumers implements AutoCloseable {
        final Set<Long> delivered = ConcurrentHashMap.newKeySet();
        final AtomicBoolean running = new AtomicBoolean(true);
        final ExecutorService threads = Executors.newFixedThreadPool(4);
        final List<Future<?>> loops = new ArrayList<>();

        Consumers(String topic, String group) {
            for (int i = 0; i < 4; i++) {
                loops.add(threads.submit(() -> {
                    while (running.get()) {
                        Response r = gateway.get("/topics/" + topic + "/messages?group=" + group + "&noAck");
                        if (r.status() == 408) {
                            continue;
                        }
                        assertThat(r.status()).as(r.toString()).isEqualTo(200);
                        JsonNode m = r.json();
                        long offset = m.get("offset").asLong();
                        delivered.add(offset);
                        Response ack = gateway.post("/topics/" + topic + "/acks?group=" + group + "&partition=0&offset=" + offset, null, "");
                        assertThat(ack.status()).as(ack.toString()).isIn(200, 409);
                    }
                    return null;
                }));
            }
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            for (Future<?> loop : loops) {
                loop.get(30, TimeUnit.SECONDS);
            }
            threads.shutdownNow();
        }
    }

    private static void rewind(String topic, String group, long offset) {
        Response moved = gateway.post("/topics/" + topic + "/offsets?group=" + group, "application/json",
                "[{\"partition\": 0, \"offset\": " + offset + "}]");
        assertThat(moved.status()).as(moved.toString()).isEqualTo(200);
    }

    private static Set<Long> missing(Set<Long> delivered, long from, long to) {
        return LongStream.range(from, to).filter(o -> !delivered.contains(o)).boxed().collect(Collectors.toSet());
    }

    @Test
    void rewindingWhileABacklogIsFetchedDeliversEverythingFromTheNewOffsetAgain() throws Exception {
        // Given: a backlog of 20,000 messages, of which the group consumed and acknowledged the first thousand or so
        String topic = kafka.newTopic(1);
        String group = "g-" + UUID.randomUUID();
        int count = 20_000;
        try (KafkaProducer<byte[], byte[]> producer = producer()) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, ("m" + i).getBytes()));
            }
        }
        try (Consumers consumers = new Consumers(topic, group)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> consumers.delivered.size() >= 1000);

            // When: the group is moved back to offset 10 while the gateway holds and fetches the rest
            rewind(topic, group, 10);
            consumers.delivered.clear();

            // Then: every message from 10 on is delivered again, and the group ends committed at the end
            await().atMost(Duration.ofSeconds(120)).until(() -> missing(consumers.delivered, 10, count).isEmpty());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> committed(topic, group) == count);
    }

    @Test
    void rewindingAtTheHeadWhileMessagesKeepArrivingLosesNone() throws Exception {
        // Given: a producer writing about 3,000 messages a second, and the group keeping up with it
        String topic = kafka.newTopic(1);
        String group = "g-" + UUID.randomUUID();
        AtomicBoolean producing = new AtomicBoolean(true);
        ExecutorService background = Executors.newSingleThreadExecutor();
        Future<Long> produced = background.submit(() -> {
            long sent = 0;
            try (KafkaProducer<byte[], byte[]> producer = producer()) {
                while (producing.get()) {
                    for (int i = 0; i < 30; i++) {
                        producer.send(new ProducerRecord<>(topic, ("m" + sent++).getBytes()));
                    }
                    Thread.sleep(10);
                }
            }
            return sent;
        });
        try (Consumers consumers = new Consumers(topic, group)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> consumers.delivered.size() >= 3000);

            // When: the group is moved back to offset 1, and production goes on for a few seconds more
            rewind(topic, group, 1);
            consumers.delivered.clear();
            long rewoundAt = System.nanoTime();
            await().atMost(Duration.ofSeconds(30)).until(() -> System.nanoTime() - rewoundAt > Duration.ofSeconds(4).toNanos());
            producing.set(false);
            long total = produced.get(30, TimeUnit.SECONDS);

            // Then: every offset from 1 to the last produced is delivered after the move
            await().atMost(Duration.ofSeconds(120)).until(() -> missing(consumers.delivered, 1, total).isEmpty());
            assertThat(missing(consumers.delivered, 1, total)).isEmpty();
        } finally {
            producing.set(false);
            background.shutdownNow();
        }
    }

    /** The group's committed offset of partition 0, read from Kafka. */
    private static long committed(String topic, String group) throws Exception {
        var offsets = kafka.admin().listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        var offset = offsets.get(new org.apache.kafka.common.TopicPartition(topic, 0));
        return offset == null ? -1 : offset.offset();
    }
}
