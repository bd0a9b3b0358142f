package io.kafkagateway.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kafkagateway.testing.GatewayProcess;
import io.kafkagateway.testing.KafkaProbe;
import io.kafkagateway.testing.WsClient;
import io.kroxylicious.testing.kafka.api.KafkaCluster;
import io.kroxylicious.testing.kafka.junit5ext.KafkaClusterExtension;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readers that stop reading while 100 MB wait in Kafka: the gateway (its own process, 160 MB of heap and 64 MB of
 * direct memory at most) stops fetching for them instead of buffering, and once they read, every message arrives, in
 * order.
 */
@ExtendWith(KafkaClusterExtension.class)
class WebSocketBackpressureIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MESSAGES = 1000;
    private static final int MESSAGE_BYTES = 100_000;
    /**
     * What can be on its way while nobody reads: the gateway's socket send buffer (the kernel grows it to a few MB),
     * the client's receive buffer and the messages its WebSocket client queues while paused (about 20 MB measured),
     * and one batch; far below the 100 MB backlog. Without backpressure all of it is handed over. The client's receive
     * buffer is pinned ({@link #CLIENT_RECEIVE_BUFFER}): left to the kernel it may grow up to tcp_rmem's maximum (32 MB
     * on this machine), which alone would come close to the bound.
     */
    private static final long MOST_IN_TRANSIT = 35_000_000;
    private static final int CLIENT_RECEIVE_BUFFER = 1 << 20;

    KafkaCluster cluster;

    @Test
    void slowReadersHoldUpFetchingNotMemoryAndLoseNothing(@TempDir Path dir) throws Exception {
        // Given: 100 MB in one partition
        KafkaProbe kafka = new KafkaProbe(cluster.getBootstrapServers());
        String topic = kafka.newTopic(1);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", cluster.getBootstrapServers(),
                "key.serializer", ByteArraySerializer.class.getName(), "value.serializer", ByteArraySerializer.class.getName(),
                "max.request.size", "2000000"))) {
            for (int i = 0; i < MESSAGES; i++) {
                String value = String.format("%08d", i) + "x".repeat(MESSAGE_BYTES - 8);
                producer.send(new ProducerRecord<>(topic, value.getBytes(StandardCharsets.UTF_8)));
            }
        }
        try (GatewayProcess gateway = GatewayProcess.start(dir, "gateway", List.of("-Xmx160m", "-XX:MaxDirectMemorySize=64m"),
                "-kafkaPeers", cluster.getBootstrapServers()); WsClient ws = new WsClient(gateway.baseUrl(), CLIENT_RECEIVE_BUFFER)) {
            readersStallThenReceiveEverything(kafka, topic, gateway, ws);
        } finally {
            kafka.close();
        }
    }

    private static void readersStallThenReceiveEverything(KafkaProbe kafka, String topic, GatewayProcess gateway, WsClient ws)
            throws Exception {

        // When: a kafka-proxy reader and a native auto-ack reader connect and never read
        String proxyGroup = "kp-" + UUID.randomUUID();
        WsClient.Conn proxy = ws.connectPaused("/?topic=" + topic + "&consumerGroup=" + proxyGroup + "&offset=0");
        String nativeGroup = "n-" + UUID.randomUUID();
        WsClient.Conn nativeSocket = ws.connectPaused("/ws?encoding=text");
        nativeSocket.send("{\"type\":\"subscribe\",\"group\":\"" + nativeGroup + "\",\"topics\":[\"" + topic
                + "\"],\"initialOffset\":\"earliest\",\"credits\":10000,\"autoAck\":true}");

        // Then: what the gateway hands to the sockets stops growing far below the backlog
        long proxyStalled = plateau(() -> sent(gateway, "kafka-proxy"));
        long nativeStalled = plateau(() -> sent(gateway, "native"));
        assertThat(proxyStalled * MESSAGE_BYTES).as("kafka-proxy bytes handed over while the reader reads nothing")
                .isLessThan(MOST_IN_TRANSIT);
        assertThat(nativeStalled * MESSAGE_BYTES).as("native bytes handed over while the reader reads nothing")
                .isLessThan(MOST_IN_TRANSIT);
        long heap = heapUsed(gateway);
        System.out.printf("stalled at %d (kafka-proxy) and %d (native) of %d messages; gateway heap %d MB%n",
                proxyStalled, nativeStalled, MESSAGES, heap / 1_000_000);
        assertThat(heap).as("gateway heap while 100 MB wait").isLessThan(160_000_000L);

        // And: once they read, everything arrives in order
        proxy.socket.resume();
        long next = 0;
        while (next < MESSAGES) {
            for (JsonNode m : JSON.readTree(proxy.text())) {
                assertThat(m.get("offset").asLong()).isEqualTo(next);
                assertThat(m.get("message").asText()).startsWith(String.format("%08d", next));
                next++;
            }
        }
        nativeSocket.socket.resume();
        assertThat(JSON.readTree(nativeSocket.text()).get("type").asText()).isEqualTo("subscribed");
        for (long i = 0; i < MESSAGES; i++) {
            JsonNode m = JSON.readTree(nativeSocket.text());
            assertThat(m.get("type").asText()).isEqualTo("message");
            assertThat(m.get("offset").asLong()).isEqualTo(i);
        }
        assertThat(gateway.process().isAlive()).isTrue();
        assertThat(gateway.terminate()).isZero();
    }

    /** Waits until {@code value} stops changing for three seconds, and answers it. */
    private static long plateau(LongSupplier value) {
        long[] last = {-1};
        long[] since = {System.nanoTime()};
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(() -> {
            long now = value.getAsLong();
            if (now != last[0]) {
                last[0] = now;
                since[0] = System.nanoTime();
                return false;
            }
            return now > 0 && System.nanoTime() - since[0] >= TimeUnit.SECONDS.toNanos(3);
        });
        return last[0];
    }

    /** Messages the gateway handed to sockets of {@code dialect} (kgw_websocket_messages_sent_total). */
    private static long sent(GatewayProcess gateway, String dialect) {
        try {
            Matcher m = Pattern.compile("(?m)^kgw_websocket_messages_sent_total\\{dialect=\"" + dialect + "\"} (\\S+)$")
                    .matcher(gateway.getManagement("/metrics"));
            return m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long heapUsed(GatewayProcess gateway) throws Exception {
        Matcher m = Pattern.compile("(?m)^jvm_memory_used_bytes\\{area=\"heap\"[^}]*} (\\S+)$").matcher(gateway.getManagement("/metrics"));
        long total = 0;
        while (m.find()) {
            total += (long) Double.parseDouble(m.group(1));
        }
        assertThat(total).as("heap metrics present").isPositive();
        return total;
    }
}
